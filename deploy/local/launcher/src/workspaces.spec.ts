import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listWorkspaces } from './workspaces.js';

describe('listWorkspaces', () => {
  it('expands dir/* patterns and skips folders without a package.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'ws-'));
    const pkg = (dir: string, body: object) => {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'package.json'), JSON.stringify(body));
    };
    pkg('.', { workspaces: ['proto', 'services/*', 'missing/*'] });
    pkg('proto', { name: '@x/proto', scripts: { test: 'vitest' } });
    pkg('services/b', { name: '@x/b' });
    pkg('services/a', { name: '@x/a', scripts: { build: 'tsc' } });
    mkdirSync(join(root, 'services/empty'));
    expect(listWorkspaces(root)).toEqual([
      { name: '@x/proto', dir: 'proto', scripts: { test: 'vitest' } },
      { name: '@x/a', dir: 'services/a', scripts: { build: 'tsc' } },
      { name: '@x/b', dir: 'services/b', scripts: {} },
    ]);
  });
});
