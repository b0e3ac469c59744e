#!/usr/bin/env node
// Runs the Agora embedded store alone: agora-store --port <p> --dbpath <dir> [--host 127.0.0.1]
// [--auth-file <file>] [--scrub-after-ms <ms>]. Credentials come from that file or from AGORA_STORE_USER and
// AGORA_STORE_PASSWORD, never from the command line (which `ps` shows to everyone).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  process.stderr.write(
    `agora-store: ${message}\nusage: AGORA_STORE_USER=<user> AGORA_STORE_PASSWORD=<password> agora-store --port <port> --dbpath <dir> [--host 127.0.0.1] [--scrub-after-ms 10000]\n       agora-store --auth-file <0600 JSON file {"user","password"}> --port <port> --dbpath <dir>\n`,
  );
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      dbpath: { type: 'string' },
      host: { type: 'string' },
      'auth-file': { type: 'string' },
      'scrub-after-ms': { type: 'string' },
    },
  }));
} catch (err) {
  usage(err.message);
}
if (!values.dbpath) usage('--dbpath is required');
const port = Number(values.port ?? 27017);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);
// How soon a delete or overwrite is compacted out of the journal (the store's default when unset);
// the store promises 30 s at most.
const scrubAfterMs =
  values['scrub-after-ms'] === undefined ? undefined : Number(values['scrub-after-ms']);
if (
  scrubAfterMs !== undefined &&
  (!Number.isInteger(scrubAfterMs) || scrubAfterMs < 0 || scrubAfterMs > 30_000)
)
  usage(`invalid --scrub-after-ms ${values['scrub-after-ms']} (0 to 30000)`);

if (!existsSync(join(pkg, 'dist', 'index.js'))) {
  process.stderr.write('agora-store: building (first run)…\n');
  execFileSync(
    process.execPath,
    [
      join(pkg, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(pkg, 'tsconfig.build.json'),
    ],
    { stdio: 'inherit' },
  );
}

const { startStore, readCredentials, CredentialsError } = await import(
  join(pkg, 'dist', 'index.js')
);
let auth;
try {
  auth = readCredentials({ authFile: values['auth-file'], env: process.env });
} catch (err) {
  if (!(err instanceof CredentialsError)) throw err;
  usage(err.message);
}
const dbpath = resolve(values.dbpath);
let store;
try {
  store = await startStore({ port, host: values.host ?? '127.0.0.1', dbpath, auth, scrubAfterMs });
} catch (err) {
  const hint =
    err.code === 'EADDRINUSE' ? ` (port ${port} is taken: choose another with --port)` : '';
  process.stderr.write(`agora-store: cannot start: ${err.message}${hint}\n`);
  process.exit(1);
}
process.stdout.write(
  `agora-store listening on ${values.host ?? '127.0.0.1'}:${store.port} (dbpath ${dbpath})\n`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    store.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`agora-store: error while closing: ${err.message}\n`);
        process.exit(1);
      },
    );
  });
}
