import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inboxPrefixOf } from '@agora/proto';
import { freePort } from './free-port.js';

export interface NatsServerHandle {
  url: string;
  port: number;
  /** JetStream store directory (kept across kill/restart, removed by stop). */
  storeDir: string;
  /** The running process id. */
  readonly pid: number;
  /** SIGTERM, wait for exit, remove the store dir. */
  stop(): Promise<void>;
  /** SIGKILL (a crash); the store dir stays for restart(). */
  kill(): Promise<void>;
  /** Starts again on the same port and store dir. */
  restart(): Promise<void>;
}

export interface StartNatsServerOptions {
  jetstream?: boolean;
  port?: number;
  /**
   * The whole nats-server configuration (e.g. the launcher's, with users and permissions) for the
   * port and store dir picked, instead of command-line flags; written to a 0600 file.
   */
  config?: (where: { port: number; storeDir: string }) => string;
  /**
   * A user of that configuration, to check that JetStream answers (`jetstream: false` skips the
   * check, e.g. when only a client certificate gets in; the configuration decides on JetStream).
   */
  credentials?: { user: string; pass: string };
}

/** Finds nats-server: NATS_SERVER_BIN, then PATH, then Debian's /usr/sbin. */
export function natsServerBinary(): string {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const onPath = which.stdout.trim();
  if (which.status === 0 && onPath) return onPath;
  if (existsSync('/usr/sbin/nats-server')) return '/usr/sbin/nats-server';
  throw new Error(
    'nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN',
  );
}

/** Spawns a private nats-server on a free port with a temp JetStream dir and waits until it accepts. */
export async function startNatsServer(
  options: StartNatsServerOptions = {},
): Promise<NatsServerHandle> {
  const bin = natsServerBinary();
  const port = options.port ?? (await freePort());
  const storeDir = await mkdtemp(join(tmpdir(), 'agora-nats-'));
  const jetstream = options.jetstream ?? true;
  const configFile = join(storeDir, 'nats-server.conf');
  if (options.config)
    await writeFile(configFile, options.config({ port, storeDir }), { mode: 0o600 });
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = options.config
      ? ['-c', configFile]
      : ['-a', '127.0.0.1', '-p', String(port), '-m', '0'];
    if (jetstream && !options.config) args.push('-js', '-sd', storeDir);
    const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    child = proc;
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) =>
        reject(new Error(`nats-server exited (${code}): ${stderr.trim()}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, 10_000), exited]);
    if (jetstream)
      await Promise.race([waitForJetStream(port, 10_000, options.credentials), exited]);
  };

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await gone;
  };

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return child?.pid ?? -1;
    },
    async stop() {
      await terminate('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    },
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
  };
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = netConnect(port, '127.0.0.1');
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline)
          reject(new Error(`nats-server did not accept on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** The monitoring-free way to know JetStream is up: `$JS.API.INFO` answers. */
async function waitForJetStream(
  port: number,
  timeoutMs: number,
  credentials?: { user: string; pass: string },
): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  // A user's replies arrive under its own inbox prefix: the only inbox it may subscribe to.
  const nc = await connect({
    servers: `127.0.0.1:${port}`,
    ...(credentials && { ...credentials, inboxPrefix: inboxPrefixOf(credentials.user) }),
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await nc.request('$JS.API.INFO', undefined, { timeout: 500 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    await nc.close();
  }
}
