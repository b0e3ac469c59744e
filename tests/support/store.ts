// Starts the database a test suite talks to: a real MongoDB when MONGO_URL is set (one fresh
// database per suite, dropped afterwards), otherwise the embedded store's CLI as a child process
// on a free port with a temp dbpath, so crash tests can SIGKILL and restart it. The embedded
// store gets random credentials through its environment; `url` carries them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';

export interface TestStore {
  /**
   * Server address with credentials for the driver or mongoose (no database in the path: pass
   * `dbName`; `?authSource=admin` for the embedded store).
   */
  readonly url: string;
  /** The same server without credentials (embedded: `mongodb://127.0.0.1:<port>/`). */
  readonly anonymousUrl: string;
  /** A database name unique to this suite. */
  readonly dbName: string;
  /** True when this is the embedded store (false against a real MongoDB). */
  readonly embedded: boolean;
  /** The store's data directory (embedded only). */
  readonly dbpath: string | undefined;
  /** PID of the store process (embedded only; changes on restart). */
  readonly pid: number | undefined;
  /** Last lines the store printed, for failure messages. */
  logs(): string;
  /** Sends a signal to the store and waits for it to exit (embedded only). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the store again on the same port and dbpath (embedded only). */
  restart(): Promise<void>;
  /** Stops the store (or drops the suite's database on a real MongoDB) and removes temp data. */
  stop(): Promise<void>;
}

export interface StartTestStoreOptions {
  /** Reuse a data directory instead of a fresh temp one (kept on stop). */
  dbpath?: string;
  /** Short label that ends up in the database name. */
  name?: string;
  /** Milliseconds to wait for the "listening" line. */
  startTimeoutMs?: number;
  /** The store's `--scrub-after-ms` (how soon erased data is compacted away; default its own). */
  scrubAfterMs?: number;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');
export const storeCli = join(repoRoot, 'deploy', 'local', 'store', 'bin', 'agora-store.mjs');
const readyLine = /agora-store listening on ([\d.]+):(\d+)/;

/** True when the suite runs against a real MongoDB given by MONGO_URL. */
export const usingRealMongo = Boolean(process.env.MONGO_URL);

function uniqueDbName(name: string | undefined): string {
  const label = (name ?? 'suite').replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 24);
  return `agora_test_${label}_${randomBytes(4).toString('hex')}`;
}

export async function startTestStore(options: StartTestStoreOptions = {}): Promise<TestStore> {
  const dbName = uniqueDbName(options.name);
  const mongoUrl = process.env.MONGO_URL;
  if (mongoUrl) return realMongo(mongoUrl, dbName);
  return embeddedStore(dbName, options);
}

/** `url` without its `user:password@`. */
function withoutCredentials(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}

function realMongo(url: string, dbName: string): TestStore {
  const refuse = (what: string) => () =>
    Promise.reject(
      new Error(`${what} is only available with the embedded store (MONGO_URL is set)`),
    );
  return {
    url,
    anonymousUrl: withoutCredentials(url),
    dbName,
    embedded: false,
    dbpath: undefined,
    pid: undefined,
    logs: () => '',
    kill: refuse('kill()'),
    restart: refuse('restart()'),
    async stop() {
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.connect();
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

async function embeddedStore(dbName: string, options: StartTestStoreOptions): Promise<TestStore> {
  const ownsDir = options.dbpath === undefined;
  const dbpath = options.dbpath ?? mkdtempSync(join(tmpdir(), 'agora-store-test-'));
  const timeout = options.startTimeoutMs ?? 30_000;
  // Kept across restarts, like the dbpath; never on the command line.
  const credentials = { user: 'agora_test', password: randomBytes(24).toString('base64url') };
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let port = 0;

  // keeps the last 200 complete lines; a line split across chunks is joined first
  const lineReader = () => {
    let partial = '';
    return (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
      }
    };
  };

  const launch = () =>
    new Promise<void>((resolveStart, rejectStart) => {
      const args = [storeCli, '--port', String(port), '--dbpath', dbpath];
      if (options.scrubAfterMs !== undefined)
        args.push('--scrub-after-ms', String(options.scrubAfterMs));
      const proc = spawn(process.execPath, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          AGORA_STORE_USER: credentials.user,
          AGORA_STORE_PASSWORD: credentials.password,
        },
      });
      child = proc;
      let ready = false;
      let buffered = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        rejectStart(
          new Error(`store did not report ready within ${timeout} ms\n${lines.join('\n')}`),
        );
      }, timeout);
      proc.stdout.setEncoding('utf8');
      proc.stderr.setEncoding('utf8');
      const rememberOut = lineReader();
      proc.stdout.on('data', (chunk: string) => {
        rememberOut(chunk);
        if (ready) return;
        buffered += chunk;
        const match = readyLine.exec(buffered);
        if (match) {
          ready = true;
          port = Number(match[2]);
          clearTimeout(timer);
          resolveStart();
        }
      });
      proc.stderr.on('data', lineReader());
      exited = new Promise<void>((done) => {
        proc.once('exit', (code, signal) => {
          lines.push(`[store exited code=${String(code)} signal=${String(signal)}]`);
          clearTimeout(timer);
          if (!ready)
            rejectStart(
              new Error(`store exited before ready (code ${String(code)})\n${lines.join('\n')}`),
            );
          done();
        });
      });
      proc.once('error', (err) => {
        clearTimeout(timer);
        rejectStart(err);
      });
    });

  const isRunning = () =>
    child !== undefined && child.exitCode === null && child.signalCode === null;

  // never leave a store behind when the test process exits without calling stop()
  const killOnExit = () => {
    if (isRunning()) child?.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  try {
    await launch();
  } catch (err) {
    process.off('exit', killOnExit);
    if (ownsDir) rmSync(dbpath, { recursive: true, force: true });
    throw err;
  }

  return {
    get url() {
      return `mongodb://${credentials.user}:${credentials.password}@127.0.0.1:${port}/?authSource=admin`;
    },
    get anonymousUrl() {
      return `mongodb://127.0.0.1:${port}/`;
    },
    dbName,
    embedded: true,
    dbpath,
    get pid() {
      return child?.pid;
    },
    logs: () => lines.join('\n'),
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!isRunning()) return;
      child?.kill(signal);
      await exited;
    },
    async restart() {
      if (isRunning())
        throw new Error('restart() while the store is still running: kill() it first');
      await launch();
    },
    async stop() {
      if (isRunning()) {
        child?.kill('SIGTERM');
        const forced = setTimeout(() => child?.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(forced);
      }
      process.off('exit', killOnExit);
      if (ownsDir) rmSync(dbpath, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a driver client connected to the store (with its credentials), then closes it. */
export async function withClient<T>(
  store: TestStore,
  fn: (client: MongoClient) => Promise<T>,
): Promise<T> {
  const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.close();
  }
}
