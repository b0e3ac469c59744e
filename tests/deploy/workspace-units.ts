import { listWorkspaces } from '@agora/launcher';
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

/** Every workspace with an `"agora"` field, as the launcher reads them (`listWorkspaces`). */
export function workspaceUnits(): Unit[] {
  return listWorkspaces(repoRoot)
    .flatMap((ws) =>
      ws.agora
        ? [
            {
              name: ws.dir.split('/').pop()!,
              dir: ws.dir,
              kind: ws.agora.kind,
              usesStore: ws.dependencies.includes('mongoose'),
              routes: ws.agora.routes,
            },
          ]
        : [],
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The variables a back-end service reads: the keys of its `<name>EnvSchema` (the kit's rule). */
export async function envOf(unit: Unit): Promise<string[]> {
  const mod = (await import(`@agora/${unit.name}`)) as Record<string, unknown>;
  const schema = mod[`${unit.name}EnvSchema`] as { shape?: Record<string, unknown> } | undefined;
  if (!schema?.shape)
    throw new Error(`@agora/${unit.name} exports no ${unit.name}EnvSchema (services/README.md)`);
  return Object.keys(schema.shape).sort();
}
