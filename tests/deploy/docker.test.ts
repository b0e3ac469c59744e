import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listWorkspaces } from '@agora/launcher';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './k8s-render.js';
import { workspaceUnits } from './workspace-units.js';

// deploy/docker/Dockerfile builds every unit from the workspace: each workspace's manifest is in the
// install stages (npm ci would refuse a lock file naming a workspace it cannot see), back-end
// services run from the `service` target by name, the web from the `web` target.

const dockerfile = readFileSync(join(repoRoot, 'deploy/docker/Dockerfile'), 'utf8');
describe('deploy/docker/Dockerfile', () => {
  it("copies every workspace's manifest before installing", () => {
    for (const { dir } of listWorkspaces(repoRoot))
      expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
  });

  it('has a target for each kind of unit, run as a non-root user with a health check', () => {
    expect(dockerfile).toMatch(/^FROM .* AS service$/m);
    expect(dockerfile).toMatch(/^FROM .* AS web$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile.match(/^HEALTHCHECK /gm)).toHaveLength(2);
    expect(dockerfile).toContain('/healthz');
    expect(dockerfile).toContain('npm ci --omit=dev');
    // Back-end services are chosen by name: the build copies services/${SERVICE}/dist.
    expect(dockerfile).toContain('services/${SERVICE}/dist');
    for (const unit of workspaceUnits().filter((u) => u.kind === 'service'))
      expect(unit.dir).toBe(`services/${unit.name}`);
  });

  it('keeps local state, builds and secrets out of the build context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.data', '.env', '.git'])
      expect(ignore).toContain(entry);
  });
});
