import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  /** Ed25519 private key (PKCS8 PEM) identity signs access tokens with; the rest get its public half. */
  AUTH_SIGNING_KEY: string;
  /** Password of the embedded store's user STORE_USER (the store keeps only keys derived from it). */
  STORE_PASSWORD: string;
}

/** The embedded store's one user; its password is STORE_PASSWORD. */
export const STORE_USER = 'agora';

/** Each secret: whether the environment may give it, what a usable one is, how to make one. */
const SECRETS: {
  [K in keyof Secrets]: { fromEnv: boolean; valid: RegExp; need: string; make: () => string };
} = {
  AUTH_SIGNING_KEY: {
    fromEnv: true,
    valid: /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n?$/,
    need: 'an Ed25519 private key in PKCS8 PEM',
    make: () =>
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  },
  STORE_PASSWORD: {
    fromEnv: false,
    valid: /^[\x21-\x7e]{12,}$/,
    need: '12+ printable ASCII characters',
    make: () => randomBytes(32).toString('base64url'),
  },
};

/**
 * Secrets for a local hub: taken from the environment when set (where allowed), otherwise
 * generated once into `<dataDir>/secrets.json` (mode 0600) so they survive restarts; one
 * missing from an older file is added to it. Never in the repository.
 */
export function loadSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): Secrets {
  const file = join(dataDir, 'secrets.json');
  let stored: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${file} is damaged (not JSON): fix or delete it`);
    }
  }
  const secrets = {} as Secrets;
  const generated: Partial<Secrets> = {};
  for (const name of Object.keys(SECRETS) as (keyof Secrets)[]) {
    const spec = SECRETS[name];
    const given = spec.fromEnv ? env[name] : undefined;
    const kept = stored[name];
    if (given) secrets[name] = given;
    else if (kept === undefined) secrets[name] = generated[name] = spec.make();
    else if (typeof kept === 'string' && spec.valid.test(kept)) secrets[name] = kept;
    else throw new Error(`${file} is damaged (no ${name} of ${spec.need}): fix or delete it`);
  }
  if (Object.keys(generated).length === 0) {
    if (existsSync(file)) chmodSync(file, 0o600);
    return secrets;
  }
  mkdirSync(dataDir, { recursive: true });
  // Written whole and renamed, so a crash never leaves half a file (or a readable one).
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...stored, ...generated }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return secrets;
}

/** AUTH_PUBLIC_KEY: the SPKI PEM of the signing key's public half, which every process is given. */
export function accessPublicKeyOf(signingKey: string): string {
  const key = createPrivateKey(signingKey);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`AUTH_SIGNING_KEY is not an Ed25519 key (it is ${key.asymmetricKeyType})`);
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
}
