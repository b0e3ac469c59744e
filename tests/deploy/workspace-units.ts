import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './k8s-render.js';

/** A unit of the workspace that a deployment must run: a back-end service or the web. */
export interface Unit {
  /** Its folder's name: image, Deployment, compose service and NATS user are named after it. */
  name: string;
  dir: string;
  kind: 'service' | 'web';
  /** It has a database (it depends on mongoose). */
  usesStore: boolean;
  /** Path prefixes the one origin routes to it. */
  routes: string[];
}

interface Manifest {
  agora?: { kind: 'service' | 'web'; routes?: string[] };
  dependencies?: Record<string, string>;
}

/** Every workspace folder with an `"agora"` field, as the launcher reads them. */
export function workspaceUnits(): Unit[] {
  const dirs = [...readdirSync(join(repoRoot, 'services')).map((d) => `services/${d}`), 'web'];
  const units: Unit[] = [];
  for (const dir of dirs) {
    let pkg: Manifest;
    try {
      pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as Manifest;
    } catch {
      continue;
    }
    if (!pkg.agora) continue;
    units.push({
      name: dir.split('/').pop()!,
      dir,
      kind: pkg.agora.kind,
      usesStore: 'mongoose' in (pkg.dependencies ?? {}),
      routes: pkg.agora.routes ?? [],
    });
  }
  return units.sort((a, b) => a.name.localeCompare(b.name));
}

/** The variables a back-end service reads: the keys of its `<name>EnvSchema` (the kit's rule). */
export async function envOf(unit: Unit): Promise<string[]> {
  const mod = (await import(`@agora/${unit.name}`)) as Record<string, unknown>;
  const schema = mod[`${unit.name}EnvSchema`] as { shape?: Record<string, unknown> } | undefined;
  if (!schema?.shape)
    throw new Error(`@agora/${unit.name} exports no ${unit.name}EnvSchema (services/README.md)`);
  return Object.keys(schema.shape).sort();
}
