import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDataDir, DataDirInUseError, NATS_PID_FILE } from './data-dir-claim.js';
import { findNatsServer } from './nats-binary.js';
import { freePort } from './ports.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

/** Running, not a zombie waiting for a reaper. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function sleeper(): ChildProcess {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  started.push(p);
  return p;
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

describe('claimDataDir', () => {
  it('refuses a data directory another live hub holds, naming its pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-'));
    const other = sleeper();
    writeFileSync(join(dir, 'hub.pid'), String(other.pid));
    const err = await claimDataDir(dir, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirInUseError);
    expect((err as Error).message).toContain(
      `another Agora hub (pid ${other.pid}) is running on ${dir}`,
    );
    expect(readFileSync(join(dir, 'hub.pid'), 'utf8')).toBe(String(other.pid));
  });

  it('takes over the claim of a hub that is gone, and releases only its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-'));
    writeFileSync(join(dir, 'hub.pid'), String(deadPid()));
    const release = await claimDataDir(dir, () => {});
    expect(readFileSync(join(dir, 'hub.pid'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, 'hub.pid'))).toBe(false);
  });

  it('stops a nats-server a killed hub left running on these files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-'));
    const bin = findNatsServer(join(import.meta.dirname, '..', '..', '..', '..', '.cache'));
    if (!bin) throw new Error('nats-server not found (npm test installs it)');
    const nats = spawn(
      bin,
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(await freePort()),
        '-js',
        '-sd',
        join(dir, 'nats'),
        '-P',
        join(dir, NATS_PID_FILE),
      ],
      { stdio: 'ignore' },
    );
    started.push(nats);
    await expect.poll(() => existsSync(join(dir, NATS_PID_FILE)), { timeout: 5_000 }).toBe(true);
    const lines: string[] = [];
    (await claimDataDir(dir, (l) => lines.push(l)))();
    expect(lines).toEqual([
      `stopping nats-server pid ${nats.pid}, left running by a hub that was killed`,
    ]);
    expect(running(nats.pid!)).toBe(false);
  });

  it('leaves alone a live process that only reuses a stale nats-server pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-'));
    const unrelated = sleeper();
    writeFileSync(join(dir, NATS_PID_FILE), String(unrelated.pid));
    (await claimDataDir(dir, () => {}))();
    expect(running(unrelated.pid!)).toBe(true);
  });
});

describe('exit-with-parent preload', () => {
  it('makes a Node child stop itself (SIGTERM) once the launcher is killed outright', async () => {
    const preload = fileURLToPath(new URL('../bin/exit-with-parent.mjs', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'orphan-'));
    const marker = join(dir, 'stopped');
    const child = `process.on('SIGTERM', () => { require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ok'); process.exit(0); }); setInterval(() => {}, 1000);`;
    // The "launcher": starts the child with the preload, prints its pid, then waits forever.
    const launcher = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ['--import', ${JSON.stringify(preload)}, '-e', ${JSON.stringify(child)}], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    started.push(launcher);
    const childPid = Number(
      await new Promise<string>((resolve) =>
        launcher.stdout.once('data', (d) => resolve(String(d))),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(running(childPid)).toBe(true);
    launcher.kill('SIGKILL');
    await expect.poll(() => existsSync(marker), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => running(childPid), { timeout: 5_000 }).toBe(false);
  });
});
