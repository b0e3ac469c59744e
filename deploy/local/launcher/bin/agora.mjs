#!/usr/bin/env node
// Agora's one-machine entry: `npm start` / `npm test` / `npm run store`. It must run on a fresh clone,
// before node_modules exists, so it uses Node built-ins only: install, build, then hand over to dist/.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** Newest modification time under `path` (skipping build output and dependencies). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (['node_modules', 'dist', 'build', '.svelte-kit', 'paraglide'].includes(name)) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

// 1. Dependencies: `npm ci` when node_modules is missing or was installed from another lock file.
const lock = join(root, 'package-lock.json');
if (!existsSync(lock)) {
  process.stderr.write(
    'agora: package-lock.json is missing; run this from a clone of the repository\n',
  );
  process.exit(1);
}
const lockHash = createHash('sha256').update(readFileSync(lock)).digest('hex');
const stamp = join(root, 'node_modules', '.agora-lock-hash');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  say('installing dependencies (npm ci)…');
  const ms = run('npm', ['ci', '--no-audit', '--no-fund', '--progress=true'], 'npm ci');
  writeFileSync(stamp, lockHash);
  say(`dependencies installed in ${(ms / 1000).toFixed(0)} s`);
}

// 2. Build what is out of date, in dependency order.
const workspaces = [
  { name: '@agora/proto', dir: 'proto', out: 'dist' },
  { name: '@agora/platform', dir: 'services/platform', out: 'dist' },
  { name: '@agora/store', dir: 'deploy/local/store', out: 'dist' },
  { name: '@agora/launcher', dir: 'deploy/local/launcher', out: 'dist' },
  { name: '@agora/identity', dir: 'services/identity', out: 'dist' },
  { name: '@agora/gateway', dir: 'services/gateway', out: 'dist' },
  { name: '@agora/web', dir: 'web', out: 'build' },
];
let upstreamChanged = false;
for (const ws of workspaces) {
  const dir = join(root, ws.dir);
  const out = join(dir, ws.out);
  const built = existsSync(out) ? newest(out) : 0;
  const source = Math.max(
    newest(join(dir, 'src')),
    newest(join(dir, 'package.json')),
    newest(join(dir, 'messages')),
    newest(join(dir, 'static')),
  );
  if (built && built >= source && !upstreamChanged) continue;
  say(`building ${ws.name}…`);
  run('npm', ['run', 'build', '-w', ws.name], `building ${ws.name}`);
  upstreamChanged =
    ws.name === '@agora/proto' || ws.name === '@agora/platform' ? true : upstreamChanged;
}

// 3. Hand over to the launcher proper.
const { main } = await import(
  pathToFileURL(join(root, 'deploy', 'local', 'launcher', 'dist', 'cli.js')).href
);
process.exitCode = await main(command, args, root);
