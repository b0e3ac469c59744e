import { Inject, Injectable } from '@nestjs/common';
import { headers as natsHeaders, type Msg, type Subscription } from '@nats-io/transport-node';
import { NatsService } from '@agora/platform';
import { collabHeaders, docLiveSubject, parseRelayMeta, type RelayMeta } from '@agora/proto';

/**
 * Sequence the doc had at the sender before this update (`0` when the sender cannot vouch for it).
 * A receiver at exactly that sequence applies the update at once; any other reads the gap from the
 * log first. Needed because log sequences are the stream's, shared by every doc: `seq > last + 1`
 * says nothing about one doc.
 */
export const PREV_SEQ_HEADER = 'Agora-Prev-Seq';

export interface RelayMessage {
  meta: RelayMeta;
  /** Updates only: see PREV_SEQ_HEADER; NaN when absent or malformed. */
  prevSeq: number;
  data: Uint8Array;
}

/** The replica-to-replica channel of a doc: core NATS `docLiveSubject(docName)`, never stored. */
@Injectable()
export class RelayRepository {
  constructor(@Inject(NatsService) private readonly nats: NatsService) {}

  /** Publishes a durable update (after its append was acknowledged). Best effort: a lost one is
   *  made up by the receiver's gap read on the next, or its catch-up after a reconnect. */
  publishUpdate(
    docName: string,
    replica: string,
    update: Uint8Array,
    seq: number,
    prevSeq: number,
  ): void {
    const h = natsHeaders();
    h.set(collabHeaders.replica, replica);
    h.set(collabHeaders.kind, 'update');
    h.set(collabHeaders.seq, String(seq));
    h.set(PREV_SEQ_HEADER, String(prevSeq));
    this.publish(docLiveSubject(docName), update, h);
  }

  publishAwareness(docName: string, replica: string, update: Uint8Array): void {
    const h = natsHeaders();
    h.set(collabHeaders.replica, replica);
    h.set(collabHeaders.kind, 'awareness');
    this.publish(docLiveSubject(docName), update, h);
  }

  /**
   * Subscribes to the doc's relay subject; malformed messages (bad headers) are dropped here.
   * Resolves once the subscription is registered with the server, so nothing published after is
   * missed. With `ordered`, resolves as soon as the SUB is queued instead: what this replica sends
   * on its connection afterwards (a read of the log) reaches the server after it, which is all a
   * load needs, without waiting a round trip.
   */
  async subscribe(
    docName: string,
    onMessage: (msg: RelayMessage) => void,
    options: { ordered?: boolean } = {},
  ): Promise<Subscription> {
    const nc = await this.nats.ready();
    const sub = nc.subscribe(docLiveSubject(docName), {
      callback: (err, msg) => {
        if (err) return;
        const relayed = readRelay(msg);
        if (relayed) onMessage(relayed);
      },
    });
    if (!options.ordered) await nc.flush();
    return sub;
  }

  private publish(subject: string, data: Uint8Array, h: ReturnType<typeof natsHeaders>): void {
    try {
      this.nats.nc.publish(subject, data, { headers: h });
    } catch {
      // Not connected yet or closing: receivers catch up from the log.
    }
  }
}

export function readRelay(msg: Pick<Msg, 'headers' | 'data'>): RelayMessage | null {
  const h = msg.headers;
  if (!h) return null;
  const meta = parseRelayMeta((name) => (h.has(name) ? h.get(name) : undefined));
  if (!meta) return null;
  const prevText = h.has(PREV_SEQ_HEADER) ? h.get(PREV_SEQ_HEADER) : '';
  const prevSeq = /^\d{1,15}$/.test(prevText) ? Number(prevText) : Number.NaN;
  return { meta, prevSeq, data: msg.data };
}
