import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';

/**
 * Everything the store writes is for its owner only, whatever the umask and whoever created the
 * file before (a store of an older version wrote 0644 files in a 0755 directory): the modes are
 * set explicitly, not left to the mode given at creation.
 */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

/** `openSync` that leaves the file 0600 (new or not). */
export function openPrivate(path: string, flags: string | number): number {
  const fd = openSync(path, flags, PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

export function makePrivate(path: string): void {
  chmodSync(path, PRIVATE_FILE);
}
