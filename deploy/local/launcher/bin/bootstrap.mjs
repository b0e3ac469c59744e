// Install and build decisions for bin/agora.mjs. Node built-ins only: this runs before node_modules
// exists. Types in bootstrap.d.mts; tested in src/bootstrap.spec.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Locked packages whose installed version differs (or that are missing), at most `limit`; null when
 * nothing was ever installed (no node_modules/.package-lock.json, which npm writes on install).
 */
export function staleDependencies(root, limit = 3) {
  const lockFile = join(root, 'package-lock.json');
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

/** Where a workspace's build writes: the web (`"agora": { "kind": "web" }`) `build/`, others `dist/`. */
function outputDir(pkg) {
  return pkg.agora?.kind === 'web' ? 'build' : 'dist';
}

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
export function newestSource(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    // Outputs, dependencies, docs and tests never change what a build emits.
    if (SKIP.has(name) || /\.md$|\.(spec|test)\.ts$/.test(name)) continue;
    max = Math.max(max, newestSource(join(path, name)));
  }
  return max;
}

/** Newest mtime of the files under an output directory (0 when absent or empty). */
export function newestOutput(path) {
  if (!existsSync(path)) return 0;
  let max = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const f = join(path, e.name);
    max = Math.max(max, e.isDirectory() ? newestOutput(f) : statSync(f).mtimeMs);
  }
  return max;
}

/** Workspace folders of the root package.json (`dir/*` patterns expanded). */
function workspaceDirs(root, patterns) {
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
export function buildOrder(root, targets) {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const byName = new Map();
  for (const dir of workspaceDirs(root, rootPkg.workspaces ?? [])) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (!pkg.scripts?.build) continue;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    byName.set(pkg.name, { name: pkg.name, dir, deps, out: outputDir(pkg) });
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

/**
 * Whether a workspace must be built: no output, a source file newer than its newest output, or a
 * dependency built after it. `builtAt` maps workspace names to their output time so far.
 */
export function needsBuild(root, ws, builtAt) {
  const built = newestOutput(join(root, ws.dir, ws.out));
  const depBuilt = Math.max(0, ...ws.deps.map((d) => builtAt.get(d) ?? 0));
  return !(built && built >= newestSource(join(root, ws.dir)) && built >= depBuilt);
}
