import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { NatsService, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { ChangeFeed } from '../change-feed/change-feed.service.js';
import { COLLAB_CONFIG, type CollabConfig } from '../common/collab-config.js';
import { RelayRepository, type RelayMessage } from '../relay/relay.repository.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { UpdateLog } from '../update-log/update-log.repository.js';
import type { DocPeer } from './doc-peer.js';
import { loadDurableInto } from './durable-load.js';
import { LiveDoc } from './live-doc.js';

interface Entry {
  /** Resolves once loaded; relay messages that arrive before are buffered. */
  ready: Promise<LiveDoc>;
  live: LiveDoc | null;
  buffer: RelayMessage[];
  sub: Subscription | null;
  /** Holders: peers and server changes in progress; the doc unloads only at zero. */
  holds: number;
  unloadTimer: NodeJS.Timeout | undefined;
}

let loads = 0;

/**
 * The docs open on this replica: loads each once however many connect at the same moment,
 * subscribes to its relay subject before reading its state (nothing published meanwhile is lost),
 * and unloads it once nobody has held it for COLLAB_IDLE_UNLOAD_MS.
 */
@Injectable()
export class DocRegistry implements OnApplicationBootstrap {
  private readonly docs = new Map<string, Entry>();
  private readonly replica: string;
  private readonly logger: Logger;

  constructor(
    @Inject(COLLAB_CONFIG) private readonly config: CollabConfig,
    @Inject(UpdateLog) private readonly log: UpdateLog,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(RelayRepository) private readonly relay: RelayRepository,
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PLATFORM_LOGGER) logger: Logger,
    @Optional() @Inject(ChangeFeed) private readonly feed?: ChangeFeed,
  ) {
    this.replica = config.COLLAB_REPLICA_ID;
    this.logger = logger.child({ component: 'docs' });
  }

  onApplicationBootstrap(): void {
    // Relay messages missed while disconnected are read from the log after each reconnect.
    void this.nats.ready().then(async (nc) => {
      for await (const status of nc.status()) {
        if (status.type !== 'reconnect') continue;
        for (const entry of this.docs.values()) if (entry.live) void entry.live.catchUp();
      }
    });
  }

  /** Docs loaded here now (tests, metrics). */
  get size(): number {
    return this.docs.size;
  }

  /** The live doc if it is loaded here (no hold taken). */
  peek(docName: string): LiveDoc | null {
    return this.docs.get(docName)?.live ?? null;
  }

  /** Every loaded doc (shutdown flushes them). */
  loaded(): LiveDoc[] {
    return [...this.docs.values()].flatMap((e) => (e.live ? [e.live] : []));
  }

  /** Opens the doc (loading it if needed) and holds it open until `release`. */
  async acquire(docName: string): Promise<LiveDoc> {
    let entry = this.docs.get(docName);
    if (!entry) {
      entry = {
        ready: Promise.resolve(null as unknown as LiveDoc),
        live: null,
        buffer: [],
        sub: null,
        holds: 0,
        unloadTimer: undefined,
      };
      this.docs.set(docName, entry);
      entry.ready = this.load(docName, entry);
      entry.ready.catch(() => {
        if (this.docs.get(docName) === entry) this.docs.delete(docName);
      });
    }
    entry.holds += 1;
    clearTimeout(entry.unloadTimer);
    entry.unloadTimer = undefined;
    try {
      return await entry.ready;
    } catch (err) {
      entry.holds -= 1;
      throw err;
    }
  }

  /** Gives a hold back; the last one starts the idle timer. */
  release(docName: string): void {
    const entry = this.docs.get(docName);
    if (!entry) return;
    entry.holds -= 1;
    if (entry.holds > 0) return;
    clearTimeout(entry.unloadTimer);
    entry.unloadTimer = setTimeout(
      () => void this.unload(docName, entry),
      this.config.COLLAB_IDLE_UNLOAD_MS,
    );
  }

  /** Adds a peer to an acquired doc. */
  attach(live: LiveDoc, peer: DocPeer): void {
    live.addPeer(peer);
  }

  private async load(docName: string, entry: Entry): Promise<LiveDoc> {
    loads += 1;
    const live = new LiveDoc(docName, {
      config: this.config,
      log: this.log,
      relay: this.relay,
      snapshots: this.snapshots,
      logger: this.logger,
      epoch: `${Date.now().toString(36)}${loads.toString(36)}`,
      ...(this.feed
        ? {
            onDurable: (doc: string, members: readonly string[], seq: number, n: number) =>
              this.feed?.record(doc, members, seq, n),
          }
        : {}),
    });
    try {
      // The SUB goes out before the reads of the log below, on the same connection: no round trip.
      entry.sub = await this.relay.subscribe(
        docName,
        (msg) => {
          if (msg.meta.replica === this.replica) return;
          if (entry.live) entry.live.onRelay(msg);
          else entry.buffer.push(msg);
        },
        { ordered: true },
      );
      // A snapshot alone is applied after the joiners waiting for it were answered from its bytes.
      live.loaded(
        await loadDurableInto(live.doc, docName, this.snapshots, this.log, { defer: true }),
      );
    } catch (err) {
      entry.sub?.unsubscribe();
      live.destroy();
      this.logger.error({ err, doc: docName }, 'loading a doc failed');
      throw err;
    }
    entry.live = live;
    const buffered = entry.buffer;
    entry.buffer = [];
    for (const msg of buffered) live.onRelay(msg);
    return live;
  }

  private async unload(docName: string, entry: Entry): Promise<void> {
    entry.unloadTimer = undefined;
    if (entry.holds > 0 || this.docs.get(docName) !== entry) return;
    const live = entry.live;
    if (live && !live.idle) {
      // Edits still on their way to the log (NATS down): unload once they are durable.
      await live.whenDurable();
      if (entry.holds > 0) return;
    }
    this.docs.delete(docName);
    entry.sub?.unsubscribe();
    live?.destroy();
  }
}
