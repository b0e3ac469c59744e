// The embedded store's CLI as a benchmark's child process: spawned on a free port with a temp
// dbpath and random credentials, its CPU time read from /proc, its durable journal writes counted.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpawnedStore {
  proc: ChildProcess;
  url: string;
  dbpath: string;
}

export interface SpawnStoreOptions {
  /** Directory for a `node --cpu-prof` profile of the store, when set. */
  profileDir?: string;
  /** The store's `--scrub-after-ms` (its own default when unset). */
  scrubMs?: string;
}

export async function spawnStore(
  cli: string,
  options: SpawnStoreOptions = {},
): Promise<SpawnedStore> {
  const dbpath = mkdtempSync(join(tmpdir(), 'agora-store-bench-'));
  const user = 'bench';
  const password = randomBytes(18).toString('base64url');
  const profile = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const scrub = options.scrubMs === undefined ? [] : ['--scrub-after-ms', options.scrubMs];
  const proc = spawn(
    process.execPath,
    [...profile, cli, '--port', '0', '--dbpath', dbpath, ...scrub],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AGORA_STORE_USER: user, AGORA_STORE_PASSWORD: password },
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.stderr.on('data', () => undefined);
    proc.once('exit', (code) => reject(new Error(`store ${cli} exited ${String(code)}`)));
  });
  return { proc, url: `mongodb://${user}:${password}@127.0.0.1:${port}/?authSource=admin`, dbpath };
}

/** SIGTERM (a profiled store writes its profile on the way out), then the dbpath goes. */
export async function stopStore(s: SpawnedStore): Promise<void> {
  if (s.proc.exitCode === null) {
    const exited = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGTERM');
    await exited;
  }
  rmSync(s.dbpath, { recursive: true, force: true });
}

/** utime + stime of a process, in milliseconds (Linux: /proc/<pid>/stat, 100 ticks/s). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Counts a process's durable journal writes from now until `stop()` (strace -c on its threads):
 * its fdatasync calls (a log written then synced) plus its pwrite64 calls (an O_DSYNC log, where
 * the write is the sync). Tracing stops the process at every syscall: CPU figures taken
 * meanwhile are inflated.
 */
export function countJournalSyncs(pid: number): { stop(): Promise<number> } {
  const tracer = spawn(
    'strace',
    ['-f', '-c', '-e', 'trace=fdatasync,pwrite64', '-p', String(pid)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let out = '';
  tracer.stderr.setEncoding('utf8');
  tracer.stderr.on('data', (chunk: string) => (out += chunk));
  const attached = new Promise((r) => setTimeout(r, 300));
  return {
    async stop() {
      await attached;
      const exited = new Promise((r) => tracer.once('exit', r));
      tracer.kill('SIGINT');
      await exited;
      // "% time  seconds  usecs/call  calls  [errors]  syscall"
      const calls = out
        .split('\n')
        .filter((l) => /\s(fdatasync|pwrite64)\s*$/.test(l))
        .map((l) => Number(l.trim().split(/\s+/)[3]));
      return calls.length ? calls.reduce((a, b) => a + b, 0) : NaN;
    },
  };
}
