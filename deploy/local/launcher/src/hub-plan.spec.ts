import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planHub } from './hub-plan.js';

// Workspaces named so that neither alphabetical nor listing order is the start order.
function repo() {
  const root = mkdtempSync(join(tmpdir(), 'plan-'));
  const put = (path: string, body: unknown) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof body === 'string' ? body : JSON.stringify(body));
  };
  put('package.json', { workspaces: ['web', 'services/*', 'tests'] });
  put('web/package.json', { name: '@x/web', agora: { kind: 'web', routes: ['/'] } });
  put('web/build/index.js', '');
  put('services/api-edge/package.json', {
    name: '@x/api-edge',
    agora: { kind: 'service', routes: ['/api', '/socket.io'], replicas: 'EDGE_REPLICAS' },
  });
  put('services/api-edge/dist/main.js', '');
  put('services/zeta/package.json', {
    name: '@x/zeta',
    dependencies: { mongoose: '9' },
    agora: { kind: 'service' },
  });
  put('services/zeta/dist/main.js', '');
  put('services/beta/package.json', { name: '@x/beta', agora: { kind: 'service' } });
  put('services/beta/dist/main.js', '');
  // Declared but not built: not started, its route still known (the proxy answers 503).
  put('services/docs/package.json', {
    name: '@x/docs',
    agora: { kind: 'service', routes: ['/collab'] },
  });
  // A library: no "agora" field, never run even though it has a dist/main.js.
  put('services/lib/package.json', { name: '@x/lib' });
  put('services/lib/dist/main.js', '');
  put('tests/package.json', { name: '@x/tests' });
  return { root, put };
}

describe('planHub', () => {
  it('starts back-end services, then the routed ones, then the web; knows every declared route', () => {
    const { root } = repo();
    const plan = planHub(root);
    expect(plan.units.map((u) => u.name)).toEqual(['beta', 'zeta', 'api-edge', 'web']);
    expect(plan.units.map((u) => u.tier)).toEqual([0, 0, 1, 2]);
    expect(plan.units.find((u) => u.name === 'zeta')).toEqual({
      name: 'zeta',
      kind: 'service',
      routes: [],
      entry: join(root, 'services/zeta/dist/main.js'),
      usesStore: true,
      replicas: null,
      nodeFlags: [],
      tier: 0,
    });
    expect(plan.units.find((u) => u.name === 'api-edge')?.replicas).toBe('EDGE_REPLICAS');
    expect(plan.units.find((u) => u.name === 'web')).toMatchObject({
      kind: 'web',
      entry: join(root, 'web/build'),
      usesStore: false,
    });
    expect(plan.routes).toEqual([
      { prefix: '/', unit: 'web' },
      { prefix: '/api', unit: 'api-edge' },
      { prefix: '/socket.io', unit: 'api-edge' },
      { prefix: '/collab', unit: 'docs' },
    ]);
  });

  it('refuses a prefix declared twice', () => {
    const { root, put } = repo();
    put('services/beta/package.json', {
      name: '@x/beta',
      agora: { kind: 'service', routes: ['/api'] },
    });
    expect(() => planHub(root)).toThrow(
      '/api is routed to both services/api-edge and services/beta',
    );
  });

  it('refuses two workspaces that would run under one name', () => {
    const { root, put } = repo();
    put('package.json', { workspaces: ['web', 'services/*', 'deploy/*'] });
    put('deploy/beta/package.json', { name: '@x/other-beta', agora: { kind: 'service' } });
    expect(() => planHub(root)).toThrow("services/beta and deploy/beta would both run as 'beta'");
  });
});
