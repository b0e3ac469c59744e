import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listWorkspaces, type AgoraField, type Workspace } from './workspaces.js';

/** One process the hub runs, from a workspace with an `"agora"` field. */
export interface HubUnit {
  /** The workspace folder's name: its log prefix and its name in `hub.services`. */
  name: string;
  kind: AgoraField['kind'];
  /** Path prefixes the one origin routes to it (none: reached over NATS only). */
  routes: string[];
  /** What `node` runs. */
  entry: string;
  /** It depends on mongoose, so it gets MONGO_URL (a service without a database never sees it). */
  usesStore: boolean;
  /** The environment variable holding its number of replicas; null: it runs once. */
  replicas: string | null;
  /** Node flags before the entry (the workspace's `agora.nodeFlags`). */
  nodeFlags: string[];
  /**
   * Its start tier: 0 back-end services, 1 those the origin routes to, 2 the web. A tier starts once
   * the one before is ready; the units of one tier call none of each other, so they start together.
   */
  tier: number;
}

/** A path prefix of the one origin and the unit that declared it (started or not). */
export interface DeclaredRoute {
  prefix: string;
  unit: string;
}

export interface HubPlan {
  /** Built units in start order. */
  units: HubUnit[];
  /** Every declared prefix, also those of units not built (they answer 503). */
  routes: DeclaredRoute[];
}

/** Where each kind's build puts what runs (`npm run build -w <ws>`; bin/bootstrap.mjs agrees). */
const ENTRY: Record<AgoraField['kind'], string> = { service: 'dist/main.js', web: 'build' };

/**
 * A unit starts after every unit it may call: back-end services (reached over NATS only) first, then
 * the services the origin routes to (the edge calls the back-end), then the web (its pages call the
 * edge). Within a tier, by name, so the order never depends on the file system.
 */
function tier(kind: AgoraField['kind'], routes: string[]): number {
  if (kind === 'web') return 2;
  return routes.length > 0 ? 1 : 0;
}

function unitOf(root: string, ws: Workspace & { agora: AgoraField }): HubUnit {
  return {
    name: basename(ws.dir),
    kind: ws.agora.kind,
    routes: ws.agora.routes,
    entry: join(root, ws.dir, ENTRY[ws.agora.kind]),
    usesStore: ws.dependencies.includes('mongoose'),
    replicas: ws.agora.replicas ?? null,
    nodeFlags: ws.agora.nodeFlags ?? [],
    tier: tier(ws.agora.kind, ws.agora.routes),
  };
}

/**
 * What the hub runs and routes, read from the workspaces' `"agora"` fields: no service is known by
 * name. A unit whose build output is missing is not started, and the prefixes it declares answer 503.
 */
export function planHub(root: string): HubPlan {
  const declared = listWorkspaces(root).filter(
    (ws): ws is Workspace & { agora: AgoraField } => ws.agora !== null,
  );
  const units: HubUnit[] = [];
  const routes: DeclaredRoute[] = [];
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const ws of declared) {
    const unit = unitOf(root, ws);
    const clash = names.get(unit.name);
    if (clash) throw new Error(`${clash} and ${ws.dir} would both run as '${unit.name}'`);
    names.set(unit.name, ws.dir);
    for (const prefix of unit.routes) {
      const owner = owners.get(prefix);
      if (owner) throw new Error(`${prefix} is routed to both ${owner} and ${ws.dir}`);
      owners.set(prefix, ws.dir);
      routes.push({ prefix, unit: unit.name });
    }
    if (existsSync(unit.entry)) units.push(unit);
  }
  units.sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name));
  return { units, routes };
}
