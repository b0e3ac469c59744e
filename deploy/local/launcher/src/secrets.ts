import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  AUTH_JWT_SECRET: string;
}

/**
 * Secrets for a local hub: taken from the environment when set, otherwise generated once into
 * `<dataDir>/secrets.json` (mode 0600) so sessions survive restarts. Never in the repository.
 */
export function loadSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): Secrets {
  if (env.AUTH_JWT_SECRET) return { AUTH_JWT_SECRET: env.AUTH_JWT_SECRET };
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    let parsed: Partial<Secrets> = {};
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    } catch {
      // not JSON: reported as damaged below
    }
    if (typeof parsed.AUTH_JWT_SECRET === 'string' && parsed.AUTH_JWT_SECRET.length >= 32) {
      chmodSync(file, 0o600);
      return { AUTH_JWT_SECRET: parsed.AUTH_JWT_SECRET };
    }
    throw new Error(`${file} is damaged (no AUTH_JWT_SECRET of 32+ characters): fix or delete it`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = { AUTH_JWT_SECRET: randomBytes(48).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
