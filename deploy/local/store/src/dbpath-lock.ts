import { closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, openPrivate } from './private-files.js';

/**
 * One store per dbpath: two processes appending to the same journal would corrupt it. The lock
 * file holds the owner's pid; a lock left by a dead process (kill -9) is taken over.
 */
class LockHeldError extends Error {}

export class DbpathLock {
  private constructor(private readonly path: string) {}

  /** Waits up to `waitMs` for a live owner to go (a just-killed store may not be reaped yet). */
  static async acquire(dir: string, waitMs = 2000): Promise<DbpathLock> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return DbpathLock.tryAcquire(dir);
      } catch (err) {
        if (!(err instanceof LockHeldError) || Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private static tryAcquire(dir: string): DbpathLock {
    ensurePrivateDir(dir);
    const path = join(dir, 'agora-store.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openPrivate(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DbpathLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
          throw new LockHeldError(
            `${dir} is in use by another agora-store (pid ${owner}${owner === process.pid ? ', this process' : ''}); one store per dbpath`,
          );
        }
        unlinkSync(path); // stale: its owner is gone
      }
    }
    throw new Error(`cannot lock ${path}`);
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already gone: nothing to release
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
