import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { K8sObject } from './k8s-render.js';

// Two checks per object, both offline: kubernetes-models validates types, required fields and
// enums against the API's schemas; the attribute maps of @kubernetes/client-node's generated models
// (loaded file by file: its index needs Node 22) name every field each type has, so a misspelt or
// misplaced field (which kubernetes-models lets through) is caught too.

const require = createRequire(import.meta.url);
const clientModels = join(
  dirname(require.resolve('@kubernetes/client-node/package.json')),
  'dist',
  'gen',
  'models',
);

interface Attribute {
  baseName: string;
  type: string;
}
type ModelClass = { getAttributeTypeMap(): Attribute[] };
const models = new Map<string, ModelClass | null>();

async function modelOf(type: string): Promise<ModelClass | null> {
  if (!models.has(type)) {
    const file = join(clientModels, `${type}.js`);
    const mod = existsSync(file) ? ((await import(file)) as Record<string, ModelClass>) : null;
    models.set(type, mod?.[type] ?? null);
  }
  return models.get(type) ?? null;
}

/** Every field path in `value` that type `type` does not have. */
export async function unknownFields(value: unknown, type: string, path: string): Promise<string[]> {
  if (value === null || value === undefined) return [];
  const list = /^Array<(.+)>$/.exec(type);
  if (list && Array.isArray(value)) {
    const found = await Promise.all(
      value.map((v, i) => unknownFields(v, list[1]!, `${path}[${i}]`)),
    );
    return found.flat();
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map && typeof value === 'object') {
    const found = await Promise.all(
      Object.entries(value).map(([k, v]) => unknownFields(v, map[1]!, `${path}.${k}`)),
    );
    return found.flat();
  }
  const model = await modelOf(type);
  if (!model || typeof value !== 'object' || Array.isArray(value)) return [];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  const found: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const fieldType = fields.get(k);
    if (fieldType === undefined) found.push(`${path}.${k}`);
    else found.push(...(await unknownFields(v, fieldType, `${path}.${k}`)));
  }
  return found;
}

/** `apps/v1` + `Deployment` → `V1Deployment`, `autoscaling/v2` → `V2…`, `v1` + `Service` → `V1Service`. */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

/** kubernetes-models' validator for the object's apiVersion and kind. */
export async function validateWithModels(object: K8sObject): Promise<void> {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [null, object.apiVersion];
  const path = group ? `${group}/${version}/${object.kind}` : `${version}/${object.kind}`;
  const mod = (await import(`kubernetes-models/${path}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = mod[object.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}
