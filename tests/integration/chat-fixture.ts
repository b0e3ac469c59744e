// Chat's cross-service stand: a real nats-server, the embedded store, the chat service (and spaces,
// when asked) in process, and several gateway replicas on their own ports — what `npm start` runs
// with GATEWAY_REPLICAS=2, minus the proxy (a socket names its replica; no stickiness is needed).
import { randomBytes } from 'node:crypto';
import { ChatModule, chatEnvSchema } from '@agora/chat';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  type RunningService,
} from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { SpacesModule, spacesEnvSchema } from '@agora/spaces';
import {
  socketPath,
  type ClientToServerEvents,
  type Role,
  type ServerToClientEvents,
} from '@agora/proto';
import { io, type Socket } from 'socket.io-client';
import { startTestStore, type TestStore } from '../support/store.js';
import { startTestGateway, type TestGateway } from './gateway-fixture.js';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Member {
  id: string;
  token: string;
}

export interface ChatStack {
  nats: NatsServerHandle;
  store: TestStore;
  chat: RunningService;
  spaces: RunningService | undefined;
  gateways: TestGateway[];
  member(role?: Role): Promise<Member>;
  /** A REST call through gateway `replica` (0 by default). */
  api(
    path: string,
    call?: { method?: string; token?: string; json?: unknown; replica?: number },
  ): Promise<Response>;
  /** A websocket-only socket.io client on gateway `replica`, connected (`ready` heard). */
  connect(
    token: string,
    replica: number,
    options?: { reconnection?: boolean },
  ): Promise<ChatClient>;
  stop(): Promise<void>;
}

function newId(): string {
  return randomBytes(12).toString('hex');
}

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter % 250}`;
}

export async function startChatStack(
  options: { replicas?: number; spaces?: boolean; chatEnv?: Record<string, string> } = {},
): Promise<ChatStack> {
  const keys = testAccessKeys();
  const nats = await startNatsServer();
  const store = await startTestStore({ name: 'chat' });
  const common = {
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  let spaces: RunningService | undefined;
  if (options.spaces) {
    const config = spacesEnvSchema.parse(common);
    spaces = await bootstrapService({
      service: 'spaces',
      module: SpacesModule.forRoot({ config }),
      config,
      logger: createLogger('spaces', 'silent'),
      handleSignals: false,
    });
    await spaces.rpcReady;
  }
  const chatConfig = chatEnvSchema.parse({ ...common, ...options.chatEnv });
  const chat = await bootstrapService({
    service: 'chat',
    module: ChatModule.forRoot({ config: chatConfig }),
    config: chatConfig,
    logger: createLogger('chat', 'silent'),
    handleSignals: false,
  });
  await chat.rpcReady;
  const gateways: TestGateway[] = [];
  for (let i = 0; i < (options.replicas ?? 2); i += 1)
    gateways.push(
      await startTestGateway({
        NATS_URL: nats.url,
        AUTH_PUBLIC_KEY: keys.publicKey,
        // Storms reconnect hundreds of sockets: the per-IP and per-member budgets are not under test here.
        RATE_LIMIT_IP_BURST: '100000',
        RATE_LIMIT_IP_PER_SEC: '100000',
        RATE_LIMIT_MEMBER_BURST: '100000',
        RATE_LIMIT_MEMBER_PER_SEC: '100000',
      }),
    );
  const signer = new AccessTokenSigner(keys.signingKey);
  const clients: ChatClient[] = [];

  return {
    nats,
    store,
    chat,
    spaces,
    gateways,
    async member(role: Role = 'member') {
      const id = newId();
      return { id, token: (await signer.sign({ sub: id, role })).token };
    },
    api(path, call = {}) {
      const gw = gateways[call.replica ?? 0];
      if (!gw) throw new Error(`no gateway ${call.replica}`);
      const headers = new Headers({ 'x-forwarded-for': freshIp(), 'user-agent': 'chat-test' });
      if (call.token) headers.set('authorization', `Bearer ${call.token}`);
      let body: string | undefined;
      if (call.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(call.json);
      }
      return fetch(`${gw.base}/api${path}`, { method: call.method ?? 'GET', headers, body });
    },
    async connect(token, replica, opts = {}) {
      const gw = gateways[replica];
      if (!gw) throw new Error(`no gateway ${replica}`);
      // websocket only: without sticky sessions, polling's requests could reach another replica.
      const s: ChatClient = io(gw.base, {
        path: socketPath,
        auth: { token },
        transports: ['websocket'],
        reconnection: opts.reconnection ?? false,
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
        forceNew: true,
      });
      clients.push(s);
      await new Promise((resolve, reject) => {
        s.once('ready', resolve);
        s.once('connect_error', reject);
      });
      return s;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      for (const gw of gateways) await gw.stop();
      await chat.shutdown();
      await spaces?.shutdown();
      await store.stop();
      await nats.stop();
    },
  };
}

/** Emits with an ack and answers its data, or throws the refusal's code. */
export async function emitAck<T>(
  socket: ChatClient,
  event: 'channel.join' | 'channel.leave' | 'space.join' | 'space.leave',
  payload: Record<string, string>,
): Promise<T> {
  const reply = (await (
    socket.timeout(10_000).emitWithAck as (e: string, p: unknown) => Promise<unknown>
  )(event, payload)) as { ok: true; data: T } | { ok: false; error: { code: string } };
  if (!reply.ok) throw new Error(reply.error.code);
  return reply.data;
}

/** Polls `check` until it passes or `timeoutMs` runs out (then throws its last error). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

interface SeqMessage {
  seq: number;
  id: string;
}

/**
 * What a client does to hold a channel's exact history, as the web does: live `message.created`
 * in seq order, a catch-up `?after=<last seq>` whenever a seq is skipped and after every (re)join.
 * Its `seqs` must end equal to the server's: no gaps, no duplicates, in order.
 */
export class ChannelFollower {
  readonly messages: SeqMessage[] = [];
  private readonly early = new Map<number, SeqMessage>();
  private catchingUp: Promise<void> | undefined;
  private again = false;
  duplicatesIgnored = 0;

  constructor(
    private readonly stack: ChatStack,
    private readonly token: string,
    readonly channelId: string,
  ) {}

  get last(): number {
    return this.messages.at(-1)?.seq ?? 0;
  }

  seqs(): number[] {
    return this.messages.map((m) => m.seq);
  }

  /** Follows the channel on this socket: joins now and after every reconnect, then catches up. */
  follow(socket: ChatClient): Promise<void> {
    socket.on('message.created', ({ channelId, message }) => {
      if (channelId === this.channelId) this.take(message);
    });
    socket.io.on('reconnect', () => void this.join(socket).catch(() => undefined));
    return this.join(socket);
  }

  private async join(socket: ChatClient): Promise<void> {
    await emitAck(socket, 'channel.join', { channelId: this.channelId });
    await this.catchUp();
  }

  private take(m: SeqMessage): void {
    if (m.seq <= this.last) {
      this.duplicatesIgnored += 1;
      return;
    }
    if (m.seq === this.last + 1) {
      this.messages.push({ seq: m.seq, id: m.id });
      this.drainEarly();
      return;
    }
    this.early.set(m.seq, { seq: m.seq, id: m.id });
    void this.catchUp().catch(() => undefined);
  }

  private drainEarly(): void {
    for (;;) {
      const next = this.early.get(this.last + 1);
      if (!next) break;
      this.early.delete(next.seq);
      this.messages.push(next);
    }
    for (const seq of this.early.keys()) if (seq <= this.last) this.early.delete(seq);
  }

  /** One catch-up at a time; one asked for meanwhile runs right after. */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.again = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      do {
        this.again = false;
        for (;;) {
          const res = await this.stack.api(
            `/channels/${this.channelId}/messages?after=${this.last}&limit=100`,
            { token: this.token },
          );
          if (res.status !== 200) throw new Error(`catch-up answered ${res.status}`);
          const page = (await res.json()) as { messages: SeqMessage[]; hasMore: boolean };
          for (const m of page.messages) this.take(m);
          if (!page.hasMore) break;
        }
      } while (this.again);
    })().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }
}
