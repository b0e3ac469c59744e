import { Inject, Injectable } from '@nestjs/common';
import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { JetStreamPublishError, NatsService } from '@agora/platform';
import { collabHeaders, docSubject, streams } from '@agora/proto';

export interface LoggedUpdate {
  seq: number;
  update: Uint8Array;
  members: string[];
  replica: string;
  at: Date;
}

export interface AppendMeta {
  replica: string;
  members: string[];
  msgId: string;
  /**
   * The doc's last sequence this append builds on. Given, the log refuses the append
   * (`LogChainBroken`) when another replica appended to the doc meanwhile, so a replica always
   * knows every entry before its own (the relay's `Agora-Prev-Seq`).
   */
  expectLastSeq?: number;
}

/** The doc's log moved on since the sequence an append expected: read what is missing first. */
export class LogChainBroken extends Error {
  constructor(readonly docName: string) {
    super(`update log of ${docName} has entries this replica has not applied`);
    this.name = 'LogChainBroken';
  }
}

const stream = streams.collab.name;
/** How long one append waits for the stream's acknowledgement (ms). */
const APPEND_TIMEOUT_MS = 5_000;
/** Entries pulled per request while reading a doc's tail. */
const READ_BATCH = 512;

export interface TailReadOptions {
  /** The doc's last sequence, when the caller has just read it (`lastSeq`). */
  knownLast?: number;
  /**
   * Entries per pull (default 512). Each pull's entries are decoded in one run of the event loop
   * (about 0.1 ms each): a reader that must not hold up live traffic pulls fewer at a time.
   */
  batch?: number;
}

/** The JetStream update log (`AGORA_COLLAB_DOCS`), one subject per document. */
@Injectable()
export class UpdateLog {
  constructor(@Inject(NatsService) private readonly nats: NatsService) {}

  /**
   * Appends one (merged) update on docSubject(docName) with Nats-Msg-Id `msgId`; resolves with its
   * stream sequence once acknowledged (durable). A re-append after a lost ack is stored once (the
   * stream's dedupe window) and answers the first append's sequence.
   */
  async append(docName: string, update: Uint8Array, meta: AppendMeta): Promise<number> {
    const h = natsHeaders();
    h.set(collabHeaders.replica, meta.replica);
    h.set(collabHeaders.kind, 'update');
    if (meta.members.length > 0) h.set(collabHeaders.members, meta.members.join(','));
    try {
      const ack = await this.nats.jsAcks.publish(docSubject(docName), update, {
        msgID: meta.msgId,
        expectStream: stream,
        headers: h,
        timeoutMs: APPEND_TIMEOUT_MS,
        ...(meta.expectLastSeq === undefined ? {} : { expectLastSubjectSeq: meta.expectLastSeq }),
      });
      return ack.seq;
    } catch (err) {
      if (
        err instanceof JetStreamPublishError &&
        err.code === JetStreamApiCodes.StreamWrongLastSequence
      )
        throw new LogChainBroken(docName);
      throw err;
    }
  }

  /** Sequence of the doc's last entry in the log; 0 when it holds none (never written, or purged). */
  async lastSeq(docName: string): Promise<number> {
    const msg = await this.nats.jsm.streams.getMessage(stream, {
      last_by_subj: docSubject(docName),
    });
    return msg?.seq ?? 0;
  }

  /** Every update of the doc with sequence > afterSeq, in order. */
  async readAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    return (await this.readTail(docName, afterSeq)).entries;
  }

  /**
   * The doc's entries after `afterSeq` up to its last one at the time of asking (`lastSeq`, 0 when
   * the log holds none): later ones reach a live doc by relay. An entry purged while being read is
   * missing; the snapshot that allowed the purge covers it (read it after the log).
   */
  async readTail(
    docName: string,
    afterSeq: number,
    options: TailReadOptions = {},
  ): Promise<{ entries: LoggedUpdate[]; lastSeq: number }> {
    const last = options.knownLast ?? (await this.lastSeq(docName));
    if (last <= afterSeq) return { entries: [], lastSeq: last };
    const consumer = await this.nats.js.consumers.get(stream, {
      // A string, not an array: one filter subject is what nats-server 2.9 knows (arrays are 2.10+).
      filter_subjects: docSubject(docName),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSeq + 1,
    });
    const entries: LoggedUpdate[] = [];
    try {
      for (let done = false; !done;) {
        const batch = await consumer.fetch({
          max_messages: options.batch ?? READ_BATCH,
          expires: 5_000,
        });
        let got = 0;
        for await (const m of batch) {
          got += 1;
          entries.push({
            seq: m.seq,
            update: m.data,
            members: membersOf(m.headers?.get(collabHeaders.members)),
            replica: m.headers?.get(collabHeaders.replica) ?? '',
            at: new Date(m.info.timestampNanos / 1_000_000),
          });
          if (m.seq >= last) {
            done = true;
            break;
          }
        }
        if (got === 0) done = true;
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return { entries, lastSeq: last };
  }

  /** Purges the doc's updates with sequence <= seq. */
  async purgeUpTo(docName: string, seq: number): Promise<void> {
    try {
      await this.nats.jsm.streams.purge(stream, { filter: docSubject(docName), seq: seq + 1 });
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return;
      throw err;
    }
  }
}

function membersOf(header: string | undefined): string[] {
  return header ? header.split(',').filter((m) => m.length > 0) : [];
}
