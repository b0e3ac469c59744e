import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pid file nats-server writes (`-P`), so a later start can find one left running. */
export const NATS_PID_FILE = 'nats-server.pid';
const HUB_PID_FILE = 'hub.pid';

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function pidIn(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * One hub per data directory. A second one would run a second nats-server on the same JetStream
 * files (nats-server 2.9 does not lock them) and corrupt them. A nats-server left running by a hub
 * that was killed (SIGKILL: it could not stop its children) is stopped first. Returns the release.
 */
export async function claimDataDir(
  dataDir: string,
  say: (line: string) => void,
): Promise<() => void> {
  const hubFile = join(dataDir, HUB_PID_FILE);
  const holder = pidIn(hubFile);
  if (
    holder !== null &&
    holder !== process.pid &&
    alive(holder) &&
    commandLine(holder).includes('node')
  ) {
    throw new DataDirInUseError(
      `another Agora hub (pid ${holder}) is running on ${dataDir}: stop it first (Ctrl-C in its terminal, or kill ${holder})`,
    );
  }
  writeFileSync(hubFile, String(process.pid));

  const natsFile = join(dataDir, NATS_PID_FILE);
  const stale = pidIn(natsFile);
  if (stale !== null && alive(stale) && commandLine(stale).includes('nats-server')) {
    say(`stopping nats-server pid ${stale}, left running by a hub that was killed`);
    process.kill(stale, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (alive(stale) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(stale)) process.kill(stale, 'SIGKILL');
  }
  return () => {
    if (pidIn(hubFile) === process.pid) rmSync(hubFile, { force: true });
  };
}
