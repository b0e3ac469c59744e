// The two servers the chat fan-out benchmark compares, in child processes pinned to core 0 while
// the load generator runs on core 1: a stock socket.io server (one process, in memory), and ours
// for real — nats-server, the embedded store, the chat service and two gateway replicas, all counted.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AccessTokenSigner } from '@agora/platform';
import { freePort, startNatsServer, testAccessKeys } from '@agora/platform/testing';
import { startTestStore } from '../../support/store.js';
import { gcPauseReader, type GcPause } from './gc-pauses.js';

const here = import.meta.dirname;
const repoRoot = join(here, '..', '..', '..');
const chatEntry = join(repoRoot, 'services', 'chat', 'dist', 'main.js');
const gatewayEntry = join(repoRoot, 'services', 'gateway', 'dist', 'main.js');
const gcPreload = new URL('./servers/gc-on-signal.mjs', import.meta.url).href;
const gcPausesPreload = new URL('./servers/gc-pauses.mjs', import.meta.url).href;
/** With a trace asked for, every node server reports its GC pauses, to match against slow messages. */
const WITH_GC_PAUSES = Boolean(process.env['CHAT_BENCH_TRACE']);
/** Directory for `node --cpu-prof` profiles of chat and the gateways (written as they stop), when set. */
const PROFILE_DIR = process.env['CHAT_BENCH_PROFILE'];

export const SERVER_CORE = process.env['CHAT_BENCH_SERVER_CORES'] ?? '0';
export const LOAD_CORE = process.env['CHAT_BENCH_LOAD_CORES'] ?? '1';
/** The embedded store stands in for a MongoDB that production runs elsewhere: it may get its own cores. */
const STORE_CORE = process.env['CHAT_BENCH_STORE_CORES'] ?? SERVER_CORE;

export function pinLoadGenerator(): void {
  execFileSync('taskset', ['-a', '-pc', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
}

function pin(pid: number, cores = SERVER_CORE): void {
  execFileSync('taskset', ['-a', '-pc', cores, String(pid)], { stdio: 'ignore' });
}

interface Child {
  proc: ChildProcess;
  output: () => string;
  pauses: GcPause[];
}

async function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp | (() => Promise<boolean>),
): Promise<Child> {
  const proc = spawn(
    'taskset',
    [
      '-c',
      SERVER_CORE,
      process.execPath,
      ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []),
      ...(process.env['CHAT_BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? []),
      '--expose-gc',
      '--import',
      gcPreload,
      ...(WITH_GC_PAUSES ? ['--import', gcPausesPreload] : []),
      script,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot },
  );
  let output = '';
  const logFile = process.env['CHAT_BENCH_LOG_DIR']
    ? `${process.env['CHAT_BENCH_LOG_DIR']}/${proc.pid}.out`
    : null;
  const { pauses, feed } = gcPauseReader(name);
  const onData = (chunk: Buffer) => {
    if (logFile) appendFileSync(logFile, chunk);
    const text = chunk.toString();
    feed(text);
    output = (output + text).slice(-20_000);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited ${proc.exitCode}: ${output}`);
    if (typeof ready === 'function' ? await ready() : ready.test(output)) break;
    if (Date.now() > deadline) throw new Error(`${script} not ready: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, output: () => output, pauses };
}

async function stopChild(child: Child | undefined): Promise<void> {
  const proc = child?.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

const readyz = (port: number) => async () => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
  } catch {
    return false;
  }
};

export interface StockServer {
  base: string;
  pids(): number[];
  /** GC pauses of 1 ms or more (collected only with CHAT_BENCH_TRACE). */
  gcPauses(): GcPause[];
  gc(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStock(): Promise<StockServer> {
  const child = await spawnNode(
    'stock',
    join(here, 'servers', 'stock-socketio-server.mjs'),
    {},
    /LISTENING \d+/,
  );
  const port = Number(/LISTENING (\d+)/.exec(child.output())?.[1]);
  return {
    base: `http://127.0.0.1:${port}`,
    pids: () => [child.proc.pid ?? -1],
    gcPauses: () => [...child.pauses],
    async gc() {
      child.proc.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 1_500));
    },
    stop: () => stopChild(child),
  };
}

export interface AgoraChat {
  /** One base URL per gateway replica. */
  gateways: string[];
  /** Every server-side process: nats-server, the store, chat, the gateways. */
  pids(): number[];
  /** The gateways: what holds the connections (memory per connection is read from them). */
  gatewayPids(): number[];
  /** GC pauses of 1 ms or more in chat and the gateways (collected only with CHAT_BENCH_TRACE). */
  gcPauses(): GcPause[];
  token(memberId: string): Promise<string>;
  gc(): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

/** Ours, as `npm start` wires it with GATEWAY_REPLICAS=2 (minus the dev proxy: clients pick a replica). */
export async function startAgoraChat(replicas = 2): Promise<AgoraChat> {
  for (const entry of [chatEntry, gatewayEntry])
    if (!existsSync(entry)) throw new Error(`${entry} is missing: npm run build first`);
  const nats = await startNatsServer();
  const store = await startTestStore({ name: 'chat_bench' });
  pin(nats.pid);
  if (store.pid) pin(store.pid, STORE_CORE);
  const keys = testAccessKeys();
  const signer = new AccessTokenSigner(keys.signingKey);
  const common = {
    NATS_URL: nats.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    LISTEN_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const chatPort = await freePort();
  const chat = await spawnNode(
    'chat',
    chatEntry,
    {
      ...common,
      MONGO_URL: store.url,
      HEALTH_PORT: String(chatPort),
      CHAT_SEND_BURST: '50',
      CHAT_SEND_PER_SEC: '5',
    },
    readyz(chatPort),
  );
  const gateways: Child[] = [];
  const bases: string[] = [];
  for (let i = 0; i < replicas; i += 1) {
    const port = await freePort();
    gateways.push(
      await spawnNode(
        `gateway ${i + 1}`,
        gatewayEntry,
        {
          ...common,
          HEALTH_PORT: String(port),
          PORT: String(port),
          COOKIE_SECURE: 'false',
          TRUST_PROXY: 'true',
          // 2,000 connections and 100 senders from one address: the budgets are not under test.
          RATE_LIMIT_IP_BURST: '1000000',
          RATE_LIMIT_IP_PER_SEC: '1000000',
          RATE_LIMIT_MEMBER_BURST: '1000',
          RATE_LIMIT_MEMBER_PER_SEC: '100',
          REPLICA_ID: `gateway-${i + 1}`,
        },
        readyz(port),
      ),
    );
    bases.push(`http://127.0.0.1:${port}`);
  }
  const nodeChildren = [chat, ...gateways];
  return {
    gateways: bases,
    pids: () => [nats.pid, store.pid ?? -1, ...nodeChildren.map((c) => c.proc.pid ?? -1)],
    gatewayPids: () => gateways.map((g) => g.proc.pid ?? -1),
    gcPauses: () => nodeChildren.flatMap((c) => c.pauses),
    token: async (memberId) => (await signer.sign({ sub: memberId, role: 'member' })).token,
    async gc() {
      for (const c of nodeChildren) c.proc.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 1_500));
    },
    logs: () => nodeChildren.map((c) => c.output().slice(-1_500)).join('\n---\n'),
    async stop() {
      for (const g of gateways) await stopChild(g);
      await stopChild(chat);
      await store.stop();
      await nats.stop();
    },
  };
}
