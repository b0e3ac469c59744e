// The three servers the collab benchmarks compare, each started in child processes pinned to
// core 0 (`taskset -c 0`) while the load generator runs on core 1: the reference y-websocket
// server and Hocuspocus in memory, and ours for real — collab replica(s), their own nats-server
// (JetStream in a temp dir), the embedded store and a stand-in spaces responder, all counted.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessTokenSigner } from '@agora/platform';
import { freePort, startNatsServer, testAccessKeys } from '@agora/platform/testing';
import { startTestStore } from '../../support/store.js';
import { gcPauseReader, type GcPause } from './gc-pauses.js';
import type { Dialect, Endpoint } from './y-client.js';

const here = import.meta.dirname;
const repoRoot = join(here, '..', '..', '..');
export const collabEntry = join(repoRoot, 'services', 'collab', 'dist', 'main.js');
/**
 * The replicas' node flags: collab's `agora.nodeFlags` (what the launcher and the image start it
 * with) unless `COLLAB_BENCH_NODE_FLAGS` says otherwise (empty: V8's defaults).
 */
export function collabNodeFlags(): string {
  const own = process.env.COLLAB_BENCH_NODE_FLAGS;
  if (own !== undefined) return own;
  const pkg = JSON.parse(
    readFileSync(join(repoRoot, 'services', 'collab', 'package.json'), 'utf8'),
  ) as { agora?: { nodeFlags?: string[] } };
  return (pkg.agora?.nodeFlags ?? []).join(' ');
}

const gcPreload = new URL('./servers/gc-on-signal.mjs', import.meta.url).href;
const gcPausesPreload = new URL('./servers/gc-pauses.mjs', import.meta.url).href;

/** Core the servers run on; the load generator pins itself to the other one. */
export const SERVER_CORE = '0';
export const LOAD_CORE = '1';

export interface BenchServer {
  name: 'reference' | 'hocuspocus' | 'agora';
  label: string;
  dialect: Dialect;
  /** One `ws://…` base per replica (peers: one). */
  bases: string[];
  /** Every server-side process: CPU and memory count all of them. */
  pids(): number[];
  /** Pids of the processes holding docs and connections (what memory per doc is read from). */
  docPids(): number[];
  /** A new doc name this server accepts. */
  docName(): string;
  /** Query parameters a connection needs (ours: a token of a new member each time). */
  params(): Promise<Record<string, string>>;
  endpoint(replica: number, params: Record<string, string>): Endpoint;
  /** The last lines the doc-holding processes printed, and how any of them exited (failures). */
  logs(): string;
  /** Every GC pause of 1 ms or more in the server's Node processes so far. */
  gcPauses(): GcPause[];
  /** Full GC in every Node server process (SIGUSR2 to the preload), then a short settle. */
  gc(): Promise<void>;
  /** Ours: the store's URL (with credentials), to see what the compactor saved. */
  storeUrl?: string;
  /** Kills and starts the doc-holding processes again (cold load); peers cannot. */
  restartReplicas?(): Promise<void>;
  stop(): Promise<void>;
}

/** This process (the load generator) on its own core, every thread. */
export function pinLoadGenerator(): void {
  execFileSync('taskset', ['-a', '-pc', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
}

function pin(pid: number): void {
  execFileSync('taskset', ['-a', '-pc', SERVER_CORE, String(pid)], { stdio: 'ignore' });
}

interface Child {
  proc: ChildProcess;
  output: () => string;
  /** Its GC pauses (a restarted replica is a new child: its predecessor's are dropped). */
  pauses: GcPause[];
}

/**
 * `taskset -c 0 node --expose-gc --import gc-on-signal --import gc-pauses <script>`; resolves once
 * `ready` matches.
 */
async function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp | (() => Promise<boolean>),
  timeoutMs = 60_000,
): Promise<Child> {
  const proc = spawn(
    'taskset',
    [
      '-c',
      SERVER_CORE,
      process.execPath,
      '--expose-gc',
      '--import',
      gcPreload,
      '--import',
      gcPausesPreload,
      script,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot },
  );
  let output = '';
  const { pauses, feed } = gcPauseReader(name);
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    feed(text);
    output = (output + text).slice(-20_000);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited ${proc.exitCode}: ${output}`);
    if (typeof ready === 'function' ? await ready() : ready.test(output)) break;
    if (Date.now() > deadline) throw new Error(`${script} not ready: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, output: () => output, pauses };
}

async function stopChild(child: Child | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  const proc = child?.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

function describeChild(name: string, child: Child | undefined): string {
  if (!child) return `${name}: not running`;
  const { exitCode, signalCode } = child.proc;
  const state =
    exitCode === null && signalCode === null ? 'running' : `exited ${exitCode ?? signalCode}`;
  return `${name} (${state}): ${child.output().slice(-1_500)}`;
}

async function gcAll(children: Child[]): Promise<void> {
  for (const c of children) c.proc.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 1_500));
}

const hex24 = () => randomBytes(12).toString('hex');

async function startPeer(name: 'reference' | 'hocuspocus'): Promise<BenchServer> {
  const script = join(here, 'servers', `${name}-server.mjs`);
  const child = await spawnNode(name, script, {}, /LISTENING \d+/);
  const port = Number(/LISTENING (\d+)/.exec(child.output())![1]);
  const base = `ws://127.0.0.1:${port}`;
  const dialect: Dialect = name === 'hocuspocus' ? 'hocuspocus' : 'y-websocket';
  return {
    name,
    label: name === 'reference' ? '@y/websocket-server 0.1.1' : '@hocuspocus/server 3.4.4',
    dialect,
    bases: [base],
    pids: () => [child.proc.pid!],
    docPids: () => [child.proc.pid!],
    docName: () => `proposal:${hex24()}`,
    // Hocuspocus waits for an auth message before it syncs; without a hook any token passes.
    params: () =>
      Promise.resolve<Record<string, string>>(name === 'hocuspocus' ? { token: 'bench' } : {}),
    endpoint: (_replica, params) => ({ base, dialect, params }),
    gc: () => gcAll([child]),
    logs: () => describeChild(name, child),
    gcPauses: () => [...child.pauses],
    stop: () => stopChild(child),
  };
}

export const startReference = () => startPeer('reference');
export const startHocuspocus = () => startPeer('hocuspocus');

export interface AgoraOptions {
  replicas: number;
  /** Extra collab environment (e.g. compaction settings for the cold-load benchmark). */
  env?: Record<string, string>;
}

/** Ours, as `npm start` wires it (minus the local dev proxy): needs `npm run build -w @agora/collab`. */
export async function startAgora(options: AgoraOptions): Promise<BenchServer> {
  if (!existsSync(collabEntry))
    throw new Error(`${collabEntry} is missing: npm run build -w @agora/collab first`);
  const nats = await startNatsServer();
  const store = await startTestStore({ name: 'collab_bench' });
  pin(nats.pid);
  pin(store.pid!);
  const keys = testAccessKeys();
  const signer = new AccessTokenSigner(keys.signingKey);
  const spaces = await spawnNode(
    'spaces stand-in',
    join(here, 'servers', 'spaces-stand-in.mjs'),
    { NATS_URL: nats.url },
    /LISTENING/,
  );
  const ports: number[] = [];
  for (let i = 0; i < options.replicas; i++) ports.push(await freePort());
  const replicas: (Child | undefined)[] = [];
  const startReplica = async (i: number) => {
    const id = `collab-${i + 1}`;
    const port = ports[i]!;
    replicas[i] = await spawnNode(
      id,
      collabEntry,
      {
        NATS_URL: nats.url,
        MONGO_URL: store.url,
        AUTH_PUBLIC_KEY: keys.publicKey,
        HEALTH_PORT: String(port),
        PORT: String(port),
        LISTEN_HOST: '127.0.0.1',
        PUBLIC_URL: 'http://agora.bench',
        LOG_LEVEL: 'warn',
        // The launcher's name for it, and the one collab's config reads today.
        REPLICA_ID: id,
        COLLAB_REPLICA_ID: id,
        // V8 flags for the replicas only, as deployed (or the benchmark's own).
        ...(collabNodeFlags() ? { NODE_OPTIONS: collabNodeFlags() } : {}),
        ...options.env,
      },
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
        } catch {
          return false;
        }
      },
    );
  };
  for (let i = 0; i < options.replicas; i++) await startReplica(i);
  const nodeChildren = () => [spaces, ...replicas].filter((c): c is Child => c !== undefined);
  return {
    name: 'agora',
    label: `agora collab ×${options.replicas}`,
    dialect: 'y-websocket',
    bases: ports.map((p) => `ws://127.0.0.1:${p}`),
    pids: () => [nats.pid, store.pid!, spaces.proc.pid!, ...replicas.map((r) => r!.proc.pid!)],
    docPids: () => replicas.map((r) => r!.proc.pid!),
    docName: () => `proposal:${hex24()}`,
    // A member per connection: a room of 200 must not hit the per-member connection cap (32).
    // caps=agora: collab's own messages (101, "durable up to", which the trace bench reads).
    params: async () => ({
      token: (await signer.sign({ sub: hex24(), role: 'member' })).token,
      caps: 'agora',
    }),
    endpoint: (replica, params) => ({
      base: `ws://127.0.0.1:${ports[replica % ports.length]!}`,
      dialect: 'y-websocket',
      params,
    }),
    gc: () => gcAll(nodeChildren()),
    logs: () => replicas.map((r, i) => describeChild(`collab-${i + 1}`, r)).join('\n'),
    gcPauses: () => nodeChildren().flatMap((c) => c.pauses),
    storeUrl: store.url,
    async restartReplicas() {
      for (let i = 0; i < replicas.length; i++) {
        await stopChild(replicas[i], 'SIGKILL');
        await startReplica(i);
      }
    },
    async stop() {
      for (const r of replicas) await stopChild(r);
      await stopChild(spaces);
      await store.stop();
      await nats.stop();
    },
  };
}

/** A server the benchmarks run, started fresh for each benchmark file. */
export interface BenchTarget {
  key: string;
  start: () => Promise<BenchServer>;
  /** Why it cannot run here (ours before its build exists); printed, never hidden. */
  unavailable?: string;
}

/**
 * The peers, then ours on one and on two replicas. COLLAB_BENCH_SERVERS (comma-separated keys:
 * reference, hocuspocus, agora-1, agora-2) runs a subset.
 */
export function benchTargets(): BenchTarget[] {
  const ours = existsSync(collabEntry)
    ? undefined
    : 'services/collab is not built (npm run build -w @agora/collab)';
  const all: BenchTarget[] = [
    { key: 'reference', start: startReference },
    { key: 'hocuspocus', start: startHocuspocus },
    { key: 'agora-1', start: () => startAgora({ replicas: 1 }), unavailable: ours },
    { key: 'agora-2', start: () => startAgora({ replicas: 2 }), unavailable: ours },
  ];
  const only = process.env.COLLAB_BENCH_SERVERS?.split(',').map((s) => s.trim());
  return only ? all.filter((t) => only.includes(t.key)) : all;
}

/** `value / peer` as `1.23x`, or – when either is missing. */
export function ratio(value: number | undefined, peer: number | undefined): string {
  if (value === undefined || peer === undefined || !Number.isFinite(value) || !peer) return '–';
  return `${(value / peer).toFixed(2)}x`;
}
