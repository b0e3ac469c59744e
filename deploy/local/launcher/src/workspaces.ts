import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a workspace's package.json `"agora"` field says about running it: a `service` (a platform
 * service, `dist/main.js`) or the `web` (a SvelteKit node build, `build/`), and the path prefixes the
 * one origin routes to it. A workspace without the field (a library, the tests) is not run.
 */
export interface AgoraField {
  kind: 'service' | 'web';
  routes: string[];
  /**
   * The environment variable holding how many replicas of it the hub runs (e.g. `COLLAB_REPLICAS`;
   * default 1). Only for a service whose requests need no stickiness: the origin sends each new
   * request and upgrade round robin.
   */
  replicas?: string;
  /**
   * V8 / Node flags its processes start with (e.g. `--max-semi-space-size=2`): the launcher passes
   * them before the entry, the image's CMD likewise, so both run it the same way.
   */
  nodeFlags?: string[];
}

export interface Workspace {
  name: string;
  dir: string;
  scripts: Record<string, string>;
  /** Names of its dependencies (runtime and dev). */
  dependencies: string[];
  agora: AgoraField | null;
}

/** `/` or a path like `/api`: no trailing slash, no query, no wildcard. */
const ROUTE = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

/** One node option with its value in the same word (a shell splits the image's CMD on spaces). */
const NODE_FLAG = /^--[a-z0-9-]+(=[A-Za-z0-9._,-]+)?$/;

/** An environment variable's name as a shell writes it. */
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

function agoraField(dir: string, value: unknown): AgoraField | null {
  if (value === undefined) return null;
  const where = `${dir}/package.json "agora"`;
  const field = value as {
    kind?: unknown;
    routes?: unknown;
    replicas?: unknown;
    nodeFlags?: unknown;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${where} must be an object like { "kind": "service" }`);
  if (field.kind !== 'service' && field.kind !== 'web')
    throw new Error(`${where}.kind must be "service" or "web", not ${JSON.stringify(field.kind)}`);
  const routes = field.routes ?? [];
  if (!Array.isArray(routes) || !routes.every((r): r is string => typeof r === 'string'))
    throw new Error(`${where}.routes must be a list of paths like ["/api"]`);
  for (const route of routes)
    if (!ROUTE.test(route))
      throw new Error(`${where}.routes: ${JSON.stringify(route)} is not a path like /api`);
  const nodeFlags = field.nodeFlags ?? [];
  if (
    !Array.isArray(nodeFlags) ||
    !nodeFlags.every((f): f is string => typeof f === 'string' && NODE_FLAG.test(f))
  )
    throw new Error(`${where}.nodeFlags must be a list of flags like ["--max-semi-space-size=2"]`);
  const flags = nodeFlags.length > 0 ? { nodeFlags } : {};
  if (field.replicas === undefined) return { kind: field.kind, routes, ...flags };
  if (field.kind !== 'service')
    throw new Error(`${where}.replicas: only a service runs as several replicas`);
  if (typeof field.replicas !== 'string' || !ENV_NAME.test(field.replicas))
    throw new Error(
      `${where}.replicas must name an environment variable like "COLLAB_REPLICAS", not ${JSON.stringify(field.replicas)}`,
    );
  return { kind: field.kind, routes, replicas: field.replicas, ...flags };
}

/** The root package.json's workspaces (`dir/*` patterns expanded), in the order listed there. */
export function listWorkspaces(root: string): Workspace[] {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const dirs = (rootPkg.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${parent}/${e.name}`)
      .sort();
  });
  return dirs.flatMap((dir) => {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) return [];
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
      name: string;
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      agora?: unknown;
    };
    return [
      {
        name: pkg.name,
        dir,
        scripts: pkg.scripts ?? {},
        dependencies: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }),
        agora: agoraField(dir, pkg.agora),
      },
    ];
  });
}
