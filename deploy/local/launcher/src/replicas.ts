import type { HubUnit } from './hub-plan.js';

/** More than this on one machine is a typo, not a plan. */
export const MAX_REPLICAS = 32;

/** One process of a unit: its name (log prefix, `hub.services`) and, when replicated, its id. */
export interface Replica {
  name: string;
  /** `REPLICA_ID` of a replicated unit (`collab-1`, `collab-2`, …): stable across restarts. */
  id: string | null;
}

/** How many replicas the unit's variable asks for: unset or empty is 1, anything else must be 1–32. */
export function replicaCount(variable: string, value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > MAX_REPLICAS)
    throw new Error(`${variable}=${value} must be a whole number from 1 to ${MAX_REPLICAS}`);
  return count;
}

/**
 * The processes the hub runs for a unit: one named like it, or — when it declares replicas — one
 * per replica, named and identified `<name>-1` … `<name>-<n>` (even when n is 1, so a replica's id
 * never changes with the count).
 */
export function replicasOf(unit: HubUnit, env: Record<string, string | undefined>): Replica[] {
  if (unit.replicas === null) return [{ name: unit.name, id: null }];
  const count = replicaCount(unit.replicas, env[unit.replicas]);
  return Array.from({ length: count }, (_, i) => {
    const name = `${unit.name}-${i + 1}`;
    return { name, id: name };
  });
}
