import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOrder, needsBuild, newestOutput, staleDependencies } from '../bin/bootstrap.mjs';

// A throw-away repository on disk; `at` sets a file's mtime (seconds) so staleness is decided by
// the clock values the test chooses, not by how fast it runs.
function repo() {
  const root = mkdtempSync(join(tmpdir(), 'boot-'));
  const file = (path: string, body: unknown, at?: number) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof body === 'string' ? body : JSON.stringify(body));
    if (at !== undefined) utimesSync(full, at, at);
  };
  return { root, file };
}

describe('staleDependencies', () => {
  const lock = {
    packages: {
      '': {},
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/opt': { version: '1.0.0', optional: true },
      'node_modules/@agora/x': { resolved: 'x', link: true },
      'web/node_modules/c': { version: '3.0.0' },
    },
  };

  it('answers null on a fresh clone (nothing installed yet: npm ci)', () => {
    const { root, file } = repo();
    file('package-lock.json', lock);
    expect(staleDependencies(root)).toBeNull();
  });

  it('answers [] when every locked package is installed at its version (optional ones may be absent)', () => {
    const { root, file } = repo();
    file('package-lock.json', lock);
    const installed = { ...lock.packages } as Record<string, unknown>;
    delete installed['node_modules/opt'];
    file('node_modules/.package-lock.json', { packages: installed });
    expect(staleDependencies(root)).toEqual([]);
  });

  it('names packages whose version changed or that are missing, nested ones included', () => {
    const { root, file } = repo();
    file('package-lock.json', lock);
    file('node_modules/.package-lock.json', {
      packages: { 'node_modules/a': { version: '0.9.0' }, 'node_modules/b': { version: '2.0.0' } },
    });
    expect(staleDependencies(root)).toEqual(['a', 'c']);
    expect(staleDependencies(root, 1)).toEqual(['a']);
  });
});

describe('build plan', () => {
  function workspace() {
    const r = repo();
    r.file('package.json', { workspaces: ['proto', 'services/*', 'tests'] });
    r.file('proto/package.json', { name: '@x/proto', scripts: { build: 'tsc' } }, 100);
    r.file('proto/src/a.ts', '', 100);
    r.file('proto/dist/a.js', '', 200);
    r.file(
      'services/svc/package.json',
      { name: '@x/svc', scripts: { build: 'tsc' }, dependencies: { '@x/proto': '0', zod: '4' } },
      100,
    );
    r.file('services/svc/src/main.ts', '', 100);
    r.file('services/svc/dist/main.js', '', 300);
    r.file('tests/package.json', { name: '@x/tests', scripts: { test: 'vitest' } });
    return r;
  }

  let clock = 1000;
  function plan(root: string) {
    const builtAt = new Map<string, number>();
    const built: string[] = [];
    for (const ws of buildOrder(root)) {
      if (needsBuild(root, ws, builtAt)) {
        built.push(ws.name);
        // What a real build does: write output files now (the clock moves on).
        const out = join(root, ws.dir, 'dist', 'rebuilt.js');
        writeFileSync(out, '');
        clock += 10;
        utimesSync(out, clock, clock);
      }
      builtAt.set(ws.name, newestOutput(join(root, ws.dir, 'dist')));
    }
    return built;
  }

  it('orders dependencies first and leaves out workspaces without a build script', () => {
    const { root } = workspace();
    expect(buildOrder(root).map((w) => w.name)).toEqual(['@x/proto', '@x/svc']);
    expect(buildOrder(root, ['@x/svc']).map((w) => w.name)).toEqual(['@x/proto', '@x/svc']);
    expect(buildOrder(root, ['@x/proto']).map((w) => w.name)).toEqual(['@x/proto']);
  });

  it('builds nothing when every output is newer than its sources and its dependencies', () => {
    const { root } = workspace();
    expect(plan(root)).toEqual([]);
  });

  it('ignores docs and tests, but a changed source rebuilds it and everything depending on it', () => {
    const { root, file } = workspace();
    file('proto/README.md', '', 500);
    file('proto/src/a.spec.ts', '', 500);
    expect(plan(root)).toEqual([]);
    file('proto/src/a.ts', 'changed', 500);
    expect(plan(root)).toEqual(['@x/proto', '@x/svc']);
  });

  it('reads the web’s output from build/ ("agora": { "kind": "web" }), every other from dist/', () => {
    const { root, file } = workspace();
    file('package.json', { workspaces: ['proto', 'services/*', 'web', 'tests'] });
    file(
      'web/package.json',
      { name: '@x/web', scripts: { build: 'vite build' }, agora: { kind: 'web', routes: ['/'] } },
      100,
    );
    file('web/src/app.ts', '', 100);
    file('web/build/index.js', '', 400);
    expect(buildOrder(root).map((w) => [w.name, w.out])).toEqual([
      ['@x/proto', 'dist'],
      ['@x/svc', 'dist'],
      ['@x/web', 'build'],
    ]);
    const builtAt = new Map<string, number>();
    const web = buildOrder(root).find((w) => w.name === '@x/web')!;
    expect(needsBuild(root, web, builtAt)).toBe(false);
    file('web/src/app.ts', 'changed', 500);
    expect(needsBuild(root, web, builtAt)).toBe(true);
  });

  it('builds a workspace whose output is older than its sources, or missing', () => {
    const { root, file } = workspace();
    file('services/svc/dist/main.js', '', 50);
    expect(plan(root)).toEqual(['@x/svc']);
    rmSync(join(root, 'proto/dist'), { recursive: true });
    mkdirSync(join(root, 'proto/dist'));
    expect(plan(root)).toEqual(['@x/proto', '@x/svc']);
  });
});
