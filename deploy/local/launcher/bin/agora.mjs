#!/usr/bin/env node
// Agora's one-machine entry: `npm start` / `npm test` / `npm run store`. It must run on a fresh clone,
// before node_modules exists, so it uses Node built-ins only: install, build, then hand over to dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Locked packages whose installed version differs (or that are missing), at most `limit`. */
function staleDependencies(limit = 3) {
  const installedFile = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installedFile)) return null;
  const locked = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  const stale = [];
  for (const [path, entry] of Object.entries(locked)) {
    if (!path.includes('node_modules/') || entry.optional || entry.link) continue;
    if (installed[path]?.version !== entry.version)
      stale.push(path.replace(/^.*node_modules\//, ''));
    if (stale.length >= limit) break;
  }
  return stale;
}

const stale = staleDependencies();
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
const OUTPUT = { '@agora/web': 'build' };
const SKIP = new Set([
  'node_modules',
  'dist',
  'dist-check',
  'build',
  '.svelte-kit',
  'paraglide',
  'test-results',
]);

/** Newest modification time under `path`, skipping outputs and dependencies. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    // Outputs, dependencies, docs and tests never change what a build emits.
    if (SKIP.has(name) || /\.md$|\.(spec|test)\.ts$/.test(name)) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

/** Newest mtime of the files under an output directory (0 when absent or empty). */
function newestOutput(path) {
  if (!existsSync(path)) return 0;
  let max = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const f = join(path, e.name);
    max = Math.max(max, e.isDirectory() ? newestOutput(f) : statSync(f).mtimeMs);
  }
  return max;
}

/** Workspace folders of the root package.json (`dir/*` patterns expanded). */
function workspaceDirs(patterns) {
  return patterns.flatMap((p) => {
    if (!p.endsWith('/*')) return [p];
    const parent = p.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${parent}/${e.name}`);
  });
}

/** The root's workspaces that have a build script (all, or `targets` and what they depend on), dependencies first. */
function buildOrder(targets) {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const byName = new Map();
  for (const dir of workspaceDirs(rootPkg.workspaces)) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (!pkg.scripts?.build) continue;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    byName.set(pkg.name, { name: pkg.name, dir, deps });
  }
  const order = [];
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    for (const dep of byName.get(name).deps) visit(dep);
    order.push(byName.get(name));
  };
  for (const name of targets ?? byName.keys()) visit(name);
  return order;
}

const builtAt = new Map();
// `store` needs only the store (and this launcher); start and test need everything.
const targets = command === 'store' ? ['@agora/store', '@agora/launcher'] : undefined;
for (const ws of buildOrder(targets)) {
  const dir = join(root, ws.dir);
  const outDir = join(dir, OUTPUT[ws.name] ?? 'dist');
  const built = newestOutput(outDir);
  const depBuilt = Math.max(0, ...ws.deps.map((d) => builtAt.get(d) ?? 0));
  if (built && built >= newest(dir) && built >= depBuilt) {
    builtAt.set(ws.name, built);
    continue;
  }
  say(`building ${ws.name}…`);
  run('npm', ['run', 'build', '-w', ws.name], `building ${ws.name}`);
  builtAt.set(ws.name, newestOutput(outDir) || Date.now());
}

// 3. Hand over to the launcher proper.
const { main } = await import(
  pathToFileURL(join(root, 'deploy', 'local', 'launcher', 'dist', 'cli.js')).href
);
process.exitCode = await main(command, args, root);
