// Real infrastructure for the history side's specs: a nats-server with JetStream, the embedded
// store in process, collab's streams, and the platform's outbox relay publishing for real.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  ensureStream,
  EventPublisher,
  MongoService,
  NatsService,
  Outbox,
  OutboxRelay,
  type Logger,
} from '@agora/platform';
import { RpcClient } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { envelopeSchema, spacesRpc, streams, type DocRight, type Envelope } from '@agora/proto';
import { startStore, type RunningStore } from '@agora/store';
import { DocAccess } from '../access/doc-access.service.js';
import { collabEnvSchema, type CollabConfig } from '../common/collab-config.js';
import { DocRegistry } from '../documents/doc-registry.js';
import { DocStore } from '../documents/doc-store.js';
import { RelayRepository } from '../relay/relay.repository.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { UpdateLog } from '../update-log/update-log.repository.js';

/** Collab's durable-doc machinery over the harness's bus and store, as the module wires it. */
export interface CollabParts {
  config: CollabConfig;
  log: UpdateLog;
  snapshots: SnapshotRepository;
  registry: DocRegistry;
  docs: DocStore;
  access: DocAccess;
}

/** A stand-in for spaces answering `doc.access` over real NATS from a table the test controls. */
export interface SpacesStandIn {
  set(memberId: string, docName: string, right: DocRight): void;
  /** Further questions go unanswered (spaces is down). */
  stop(): void;
}

export interface HistoryHarness {
  nats: NatsServerHandle;
  store: RunningStore;
  bus: NatsService;
  mongo: MongoService;
  relay: OutboxRelay;
  outbox: Outbox;
  logger: Logger;
  /** Events of collab's event stream so far, oldest first (optionally of one type). */
  events(type?: string): Promise<Envelope[]>;
  /**
   * Waits until `n` events of `type` (about `subject`, if given) are in the stream (the relay
   * publishes asynchronously), and answers those.
   */
  waitForEvents(type: string, n: number, subject?: string, timeoutMs?: number): Promise<Envelope[]>;
  /** Collab's repositories, DocRegistry and DocStore (config from the schema plus `overrides`). */
  collab(overrides?: Record<string, string>): CollabParts;
  spaces(): SpacesStandIn;
  close(): Promise<void>;
}

let suites = 0;

export async function startHistoryHarness(name: string): Promise<HistoryHarness> {
  suites += 1;
  const logger = createLogger(`collab-${name}-spec`, 'silent');
  const nats = await startNatsServer();
  const dbpath = await mkdtemp(join(tmpdir(), `agora-collab-${name}-`));
  const store = await startStore({ port: 0, dbpath, logger: () => undefined });
  const bus = new NatsService({ url: nats.url, name: 'collab', logger });
  bus.start();
  await bus.ready(10_000);
  await ensureStream(bus.jsm, streams.collab);
  await ensureStream(bus.jsm, streams.collabEvents);
  const mongo = new MongoService({
    url: store.url,
    service: `collab_${name.replace(/\W/g, '_')}_${suites}`,
    logger,
  });
  mongo.start();
  await mongo.ready();
  const relay = new OutboxRelay(new EventPublisher(bus, logger), logger, { pollMs: 200 });
  relay.start();
  const outbox = new Outbox(relay);

  const events = async (type?: string): Promise<Envelope[]> => {
    const info = await bus.jsm.streams.info(streams.collabEvents.name);
    const out: Envelope[] = [];
    if (info.state.messages === 0) return out;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const m = await bus.jsm.streams.getMessage(streams.collabEvents.name, { seq });
      if (m) out.push(envelopeSchema.parse(m.json()));
    }
    return type ? out.filter((e) => e.type === type) : out;
  };

  const collab = (overrides: Record<string, string> = {}): CollabParts => {
    const config = collabEnvSchema.parse({
      NATS_URL: nats.url,
      MONGO_URL: store.url,
      AUTH_PUBLIC_KEY: testAccessKeys().publicKey,
      LOG_LEVEL: 'silent',
      HEALTH_PORT: '0',
      COLLAB_REPLICA_ID: 'history-spec',
      COLLAB_IDLE_UNLOAD_MS: '200',
      COLLAB_ACCESS_TIMEOUT_MS: '1000',
      ...overrides,
    });
    const log = new UpdateLog(bus);
    const snapshots = new SnapshotRepository(mongo);
    const registry = new DocRegistry(config, log, snapshots, new RelayRepository(bus), bus, logger);
    const docs = new DocStore(snapshots, log, registry);
    const access = new DocAccess(new RpcClient(bus), config);
    return { config, log, snapshots, registry, docs, access };
  };

  const spaces = (): SpacesStandIn => {
    const rights = new Map<string, DocRight>();
    const sub = bus.nc.subscribe(spacesRpc.docAccess.subject, {
      callback: (_err, msg) => {
        const { id, data } = JSON.parse(new TextDecoder().decode(msg.data)) as {
          id: string;
          data: { memberId: string; docName: string };
        };
        const right = rights.get(`${data.memberId} ${data.docName}`) ?? 'none';
        msg.respond(JSON.stringify({ id, response: { right, role: null } }));
      },
    });
    return {
      set: (memberId, docName, right) => rights.set(`${memberId} ${docName}`, right),
      stop: () => sub.unsubscribe(),
    };
  };

  return {
    collab,
    spaces,
    nats,
    store,
    bus,
    mongo,
    relay,
    outbox,
    logger,
    events,
    async waitForEvents(type, n, subject, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = (await events(type)).filter((e) => !subject || e.subject === subject);
        if (got.length >= n || Date.now() > until) return got;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await relay.stop();
      await bus.drain();
      await mongo.close();
      await store.close();
      await nats.stop();
      await rm(dbpath, { recursive: true, force: true });
    },
  };
}
