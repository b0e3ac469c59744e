import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listWorkspaces } from './workspaces.js';

function repo() {
  const root = mkdtempSync(join(tmpdir(), 'ws-'));
  const pkg = (dir: string, body: object) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify(body));
  };
  return { root, pkg };
}

describe('listWorkspaces', () => {
  it('expands dir/* patterns, skips folders without a package.json, and reads the "agora" field', () => {
    const { root, pkg } = repo();
    pkg('.', { workspaces: ['proto', 'services/*', 'missing/*'] });
    pkg('proto', { name: '@x/proto', scripts: { test: 'vitest' } });
    pkg('services/b', {
      name: '@x/b',
      dependencies: { mongoose: '9' },
      devDependencies: { vitest: '4' },
      agora: { kind: 'service' },
    });
    pkg('services/a', {
      name: '@x/a',
      scripts: { build: 'tsc' },
      agora: {
        kind: 'service',
        routes: ['/api', '/socket.io'],
        replicas: 'A_REPLICAS',
        nodeFlags: ['--max-semi-space-size=2'],
      },
    });
    mkdirSync(join(root, 'services/empty'));
    expect(listWorkspaces(root)).toEqual([
      {
        name: '@x/proto',
        dir: 'proto',
        scripts: { test: 'vitest' },
        dependencies: [],
        agora: null,
      },
      {
        name: '@x/a',
        dir: 'services/a',
        scripts: { build: 'tsc' },
        dependencies: [],
        agora: {
          kind: 'service',
          routes: ['/api', '/socket.io'],
          replicas: 'A_REPLICAS',
          nodeFlags: ['--max-semi-space-size=2'],
        },
      },
      {
        name: '@x/b',
        dir: 'services/b',
        scripts: {},
        dependencies: ['mongoose', 'vitest'],
        agora: { kind: 'service', routes: [] },
      },
    ]);
  });

  it.each([
    ['a string', 'service', '"agora" must be an object'],
    [
      'an unknown kind',
      { kind: 'worker' },
      '"agora".kind must be "service" or "web", not "worker"',
    ],
    ['routes that are not a list', { kind: 'web', routes: '/' }, '"agora".routes must be a list'],
    [
      'a route without its slash',
      { kind: 'service', routes: ['api'] },
      '"agora".routes: "api" is not a path',
    ],
    [
      'a trailing slash',
      { kind: 'service', routes: ['/api/'] },
      '"agora".routes: "/api/" is not a path',
    ],
    [
      'node flags that are not flags',
      { kind: 'service', nodeFlags: ['--max-semi-space-size=2', 'rm -rf'] },
      '"agora".nodeFlags must be a list of flags like ["--max-semi-space-size=2"]',
    ],
    [
      'node flags that are not a list',
      { kind: 'service', nodeFlags: '--expose-gc' },
      '"agora".nodeFlags must be a list of flags',
    ],
    [
      'replicas that are not a variable name',
      { kind: 'service', replicas: 3 },
      '"agora".replicas must name an environment variable like "COLLAB_REPLICAS", not 3',
    ],
    [
      'a lowercase replicas variable',
      { kind: 'service', replicas: 'collab_replicas' },
      '"agora".replicas must name an environment variable',
    ],
    [
      'replicas of the web',
      { kind: 'web', replicas: 'WEB_REPLICAS' },
      '"agora".replicas: only a service runs as several replicas',
    ],
    [
      'a wildcard',
      { kind: 'service', routes: ['/api/*'] },
      '"agora".routes: "/api/*" is not a path',
    ],
  ])('refuses an "agora" field with %s, naming the file', (_what, agora, message) => {
    const { root, pkg } = repo();
    pkg('.', { workspaces: ['services/*'] });
    pkg('services/bad', { name: '@x/bad', agora });
    expect(() => listWorkspaces(root)).toThrow(`services/bad/package.json ${message}`);
  });
});
