import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** The one user the store accepts, as given to it (the password is turned into keys at start). */
export interface StoreCredentials {
  user: string;
  password: string;
}

export class CredentialsError extends Error {}

export const STORE_USER_ENV = 'AGORA_STORE_USER';
export const STORE_PASSWORD_ENV = 'AGORA_STORE_PASSWORD';
const MIN_PASSWORD = 12;

/**
 * Printable ASCII only: SASLprep (which the driver applies to SCRAM-SHA-256 passwords) is then
 * the identity, so the store derives the very keys the driver does.
 */
export function validateCredentials(value: unknown, source: string): StoreCredentials {
  if (typeof value !== 'object' || value === null)
    throw new CredentialsError(`${source}: expected { "user": "...", "password": "..." }`);
  const { user, password } = value as Record<string, unknown>;
  if (typeof user !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(user))
    throw new CredentialsError(
      `${source}: the user must be 1-128 printable ASCII characters without spaces`,
    );
  if (typeof password !== 'string' || !/^[\x20-\x7e]*$/.test(password))
    throw new CredentialsError(`${source}: the password must be printable ASCII`);
  if (password.length < MIN_PASSWORD)
    throw new CredentialsError(
      `${source}: the password must have at least ${MIN_PASSWORD} characters`,
    );
  return { user, password };
}

/**
 * Where the CLI takes its credentials from, never its command line (argv is public in `ps`):
 * `--auth-file <path>` (JSON, readable by its owner only) or AGORA_STORE_USER + AGORA_STORE_PASSWORD.
 * Without either the store does not start: it has no unauthenticated mode.
 */
export function readCredentials(options: {
  authFile?: string;
  env: NodeJS.ProcessEnv;
}): StoreCredentials {
  if (options.authFile !== undefined) return readAuthFile(options.authFile);
  const user = options.env[STORE_USER_ENV];
  const password = options.env[STORE_PASSWORD_ENV];
  if (user === undefined && password === undefined) {
    throw new CredentialsError(
      `credentials are required: pass --auth-file <file> (JSON { "user", "password" }, mode 0600) or set ${STORE_USER_ENV} and ${STORE_PASSWORD_ENV}`,
    );
  }
  if (user === undefined || password === undefined)
    throw new CredentialsError(`set both ${STORE_USER_ENV} and ${STORE_PASSWORD_ENV}, not one`);
  return validateCredentials({ user, password }, 'the environment');
}

function readAuthFile(path: string): StoreCredentials {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CredentialsError(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (mode & 0o077)
    throw new CredentialsError(
      `${path} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialsError(`${path} is not JSON`);
  }
  return validateCredentials(parsed, path);
}

/** Credentials for a store nobody configured (tests, in-process use): random, valid this run. */
export function randomCredentials(): StoreCredentials {
  return { user: 'agora', password: randomBytes(24).toString('base64url') };
}
