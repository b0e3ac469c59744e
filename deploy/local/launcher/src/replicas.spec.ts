import { describe, expect, it } from 'vitest';
import type { HubUnit } from './hub-plan.js';
import { replicaCount, replicasOf } from './replicas.js';

const unit = (replicas: string | null): HubUnit => ({
  name: 'collab',
  kind: 'service',
  routes: ['/collab'],
  entry: '/x/dist/main.js',
  usesStore: true,
  replicas,
  nodeFlags: [],
  tier: 1,
});

describe('replicas', () => {
  it('runs a unit without a replicas variable once, under its own name and without an id', () => {
    expect(replicasOf(unit(null), { COLLAB_REPLICAS: '3' })).toEqual([
      { name: 'collab', id: null },
    ]);
  });

  it('runs as many replicas as the variable says, each with a stable id; one when unset', () => {
    expect(replicasOf(unit('COLLAB_REPLICAS'), { COLLAB_REPLICAS: '3' })).toEqual([
      { name: 'collab-1', id: 'collab-1' },
      { name: 'collab-2', id: 'collab-2' },
      { name: 'collab-3', id: 'collab-3' },
    ]);
    expect(replicasOf(unit('COLLAB_REPLICAS'), {})).toEqual([{ name: 'collab-1', id: 'collab-1' }]);
    expect(replicaCount('COLLAB_REPLICAS', '')).toBe(1);
  });

  it.each(['0', '-1', '2.5', 'two', ' 2', '33', '1e1'])('refuses COLLAB_REPLICAS=%s', (value) => {
    expect(() => replicasOf(unit('COLLAB_REPLICAS'), { COLLAB_REPLICAS: value })).toThrow(
      `COLLAB_REPLICAS=${value} must be a whole number from 1 to 32`,
    );
  });
});
