import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Creation mask of a hub: what it and its children create is owner-only (0700 / 0600). */
export const OWNER_ONLY_UMASK = 0o077;

/**
 * Creates `dir` if needed and makes it and everything under it owner-only: directories 0700, every
 * other entry 0600. Repairs what an older launcher, a looser umask or a child that picks its own
 * modes (nats-server writes 0640 / 0750) left. Symbolic links are not followed.
 */
export function makeOwnerOnly(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const walk = (path: string): void => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    // Gone since it was listed (a child removed it), or a link: nothing to repair.
    if (!st || st.isSymbolicLink()) return;
    if (!st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o600) chmodSync(path, 0o600);
      return;
    }
    if ((st.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
}
