#!/usr/bin/env node
// Agora's one-machine entry: `npm start` / `npm test` / `npm run store` / `npm run build`. It must run
// on a fresh clone, before node_modules exists, so it uses Node built-ins only: install, build, then
// hand over to dist/ (`build` stops after building).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildOrder, needsBuild, newestOutput, staleDependencies } from './bootstrap.mjs';
// Under `npm start` our parent is npm's shell; SIGTERM to npm alone kills it without passing the
// signal on. Orphaned, the launcher sends itself SIGTERM and stops the hub as usual.
import './exit-with-parent.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const [command = 'start', ...args] = process.argv.slice(2);

function say(line) {
  process.stdout.write(`agora: ${line}\n`);
}

function run(cmd, cmdArgs, what) {
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(
      `agora: ${what} failed (exit ${r.status ?? r.signal}); see the output above\n`,
    );
    process.exit(1);
  }
  return Date.now() - started;
}

// 0. Prerequisites: the Node.js the workspace is built for (package.json "engines").
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `agora: Node.js >= 20.19 is needed, this is ${process.version}: install a newer Node.js (e.g. from nodejs.org or your distribution)\n`,
  );
  process.exit(1);
}

// 1. Dependencies. No node_modules (a fresh clone): `npm ci`. Installed, but from another lock file
// (a pull changed it): `npm install`, which brings node_modules in line with the lock without wiping
// it first (others may be running tools from this checkout). npm records what it installed in
// node_modules/.package-lock.json; compare every locked package's version with it.
const lockFile = join(root, 'package-lock.json');
if (!existsSync(lockFile)) {
  process.stderr.write(
    'agora: package-lock.json is missing; run this from a clone of the repository\n',
  );
  process.exit(1);
}

const stale = staleDependencies(root);
if (stale === null) {
  say('installing dependencies (npm ci)…');
  const ms = run('npm', ['ci', '--no-audit', '--no-fund', '--progress=true'], 'npm ci');
  say(`dependencies installed in ${(ms / 1000).toFixed(0)} s`);
} else if (stale.length > 0) {
  say(`dependencies changed (${stale.join(', ')}…): npm install…`);
  const ms = run('npm', ['install', '--no-audit', '--no-fund', '--progress=true'], 'npm install');
  say(`dependencies updated in ${(ms / 1000).toFixed(0)} s`);
}

// 2. Build what is out of date, dependencies first. A workspace is rebuilt when a file of its own is
// newer than its newest output, or when a workspace it depends on was built after it (tsc and vite
// rewrite every output file on each build, so output mtimes order the builds).
const builtAt = new Map();
// `store` needs only the store (and this launcher); start and test need everything.
const targets = command === 'store' ? ['@agora/store', '@agora/launcher'] : undefined;
for (const ws of buildOrder(root, targets)) {
  const outDir = join(root, ws.dir, ws.out);
  if (needsBuild(root, ws, builtAt)) {
    say(`building ${ws.name}…`);
    run('npm', ['run', 'build', '-w', ws.name], `building ${ws.name}`);
  }
  builtAt.set(ws.name, newestOutput(outDir) || Date.now());
}

// 3. Hand over to the launcher proper (`build` is done here).
if (command === 'build') process.exit(0);
const { main } = await import(
  pathToFileURL(join(root, 'deploy', 'local', 'launcher', 'dist', 'cli.js')).href
);
process.exitCode = await main(command, args, root);
