import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderUsers, passwordVariable } from '../../deploy/nats/render-users.mjs';
import { ofKind, renderOverlay, repoRoot, type K8sObject } from './k8s-render.js';
import { modelName, unknownFields, validateWithModels } from './k8s-schema.js';
import { deliberatelyUnset } from './unset-variables.js';
import { envOf, workspaceUnits } from './workspace-units.js';

// The Kubernetes deployment, proved offline: both overlays render, every object is valid against
// the API schemas, every unit of the workspace is deployed with every variable it reads, its port
// and its probes, and the network policies allow exactly the traffic DESIGN.md describes.

interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
}
interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
  };
}
interface ConfigMap extends K8sObject {
  data: Record<string, string>;
}

const units = workspaceUnits();
const rendered: Record<'dev' | 'prod', K8sObject[]> = { dev: [], prod: [] };

beforeAll(() => {
  rendered.dev = renderOverlay('dev');
  rendered.prod = renderOverlay('prod');
});

function deploymentOf(objects: K8sObject[], name: string): Workload | undefined {
  return ofKind<Workload>(objects, 'Deployment').find((d) => d.metadata.name === name);
}

/** What a container sees: its own env entries and the keys of the ConfigMaps it loads. */
function variablesOf(objects: K8sObject[], c: Container): Map<string, string | null> {
  const maps = ofKind<ConfigMap>(objects, 'ConfigMap');
  const vars = new Map<string, string | null>();
  for (const from of c.envFrom ?? []) {
    const map = maps.find((m) => m.metadata.name === from.configMapRef?.name);
    for (const [k, v] of Object.entries(map?.data ?? {})) vars.set(k, v);
  }
  for (const e of c.env ?? []) vars.set(e.name, e.value ?? null);
  return vars;
}

describe.each(['dev', 'prod'] as const)('k8s/overlays/%s', (overlay) => {
  it('renders objects that the Kubernetes API schemas accept, with no unknown field', async () => {
    const objects = rendered[overlay];
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) {
      await validateWithModels(o);
      expect(
        await unknownFields(o, modelName(o.apiVersion, o.kind), `${o.kind}/${o.metadata.name}`),
      ).toEqual([]);
    }
  });

  it('deploys every unit of the workspace, probed on the port it serves', () => {
    const objects = rendered[overlay];
    for (const unit of units) {
      const d = deploymentOf(objects, unit.name);
      expect(d, `${unit.dir} has no Deployment in k8s/base`).toBeDefined();
      const c = d!.spec.template.spec.containers[0]!;
      const port = c.ports?.find((p) => p.name === 'http')?.containerPort;
      const vars = variablesOf(objects, c);
      // A service listens on HEALTH_PORT (and PORT, for the routed ones); the web on PORT.
      expect(String(port)).toBe(unit.kind === 'web' ? vars.get('PORT') : vars.get('HEALTH_PORT'));
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      // Routed units are what the ingress sends the one origin's prefixes to.
      const ingress = ofKind<
        K8sObject & {
          spec: {
            rules: {
              http: { paths: { path: string; backend: { service: { name: string } } }[] };
            }[];
          };
        }
      >(objects, 'Ingress')[0]!;
      const paths = ingress.spec.rules[0]!.http.paths;
      for (const prefix of unit.routes)
        expect(paths.find((p) => p.path === prefix)?.backend.service.name, prefix).toBe(unit.name);
    }
  });

  it('sets every variable each service reads, by its own name', async () => {
    const objects = rendered[overlay];
    for (const unit of units.filter((u) => u.kind === 'service')) {
      const c = deploymentOf(objects, unit.name)!.spec.template.spec.containers[0]!;
      const set = variablesOf(objects, c);
      const missing = (await envOf(unit)).filter((v) => !set.has(v) && !(v in deliberatelyUnset));
      expect(missing, `${unit.name} reads variables its Deployment does not set`).toEqual([]);
      if (unit.usesStore) expect(set.has('MONGO_URL')).toBe(true);
      else expect(set.has('MONGO_URL'), `${unit.name} has no database`).toBe(false);
      expect(c.env?.find((e) => e.name === 'NATS_USER')?.value).toBe(unit.name);
    }
  });
});

describe('k8s/base/config.env', () => {
  it('holds only variables the configuration tables document (the root README, the services)', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const from = readme.indexOf('## Configuration');
    const tables = [
      readme.slice(from, readme.indexOf('\n## ', from + 1)),
      ...units
        .filter((u) => u.kind === 'service')
        .map((u) => readFileSync(join(repoRoot, u.dir, 'README.md'), 'utf8')),
    ].join('\n');
    const keys = readFileSync(join(repoRoot, 'k8s/base/config.env'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z]/.test(l))
      .map((l) => l.split('=')[0]!);
    expect(keys.length).toBeGreaterThan(20);
    const undocumented = keys.filter((k) => !tables.includes(`\`${k}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('k8s network policies', () => {
  /** Pods by what they are, with their labels (rendered from the prod overlay). */
  function pods(objects: K8sObject[]): Map<string, Record<string, string>> {
    const out = new Map<string, Record<string, string>>();
    for (const kind of ['Deployment', 'StatefulSet', 'Job'])
      for (const w of ofKind<Workload>(objects, kind))
        out.set(w.metadata.name, w.spec.template.metadata.labels);
    return out;
  }
  interface Selector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  }
  const selects = (s: Selector | undefined, labels: Record<string, string>): boolean =>
    s !== undefined &&
    Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (s.matchExpressions ?? []).every((e) =>
      e.operator === 'In' ? (e.values ?? []).includes(labels[e.key] ?? '') : false,
    );
  interface Policy extends K8sObject {
    spec: {
      podSelector: Selector;
      policyTypes: string[];
      egress?: {
        to?: { podSelector?: Selector; namespaceSelector?: Selector }[];
        ports?: { port: number }[];
      }[];
    };
  }

  /** `pod:port` pairs inside the namespace that a pod may open connections to. */
  function egressOf(objects: K8sObject[], pod: string): string[] {
    const all = pods(objects);
    const labels = all.get(pod)!;
    const reach = new Set<string>();
    for (const p of ofKind<Policy>(objects, 'NetworkPolicy')) {
      if (!selects(p.spec.podSelector, labels) && Object.keys(p.spec.podSelector).length > 0)
        continue;
      for (const rule of p.spec.egress ?? [])
        for (const to of rule.to ?? []) {
          if (to.namespaceSelector) continue; // DNS, outside the namespace
          for (const [name, l] of all)
            if (selects(to.podSelector, l))
              for (const port of rule.ports ?? []) reach.add(`${name}:${port.port}`);
        }
    }
    return [...reach].sort();
  }

  it('lets each service reach NATS and, if it has one, its database; the web nothing', () => {
    const objects = rendered.prod;
    for (const unit of units) {
      const expected =
        unit.kind === 'web' ? [] : [...(unit.usesStore ? ['mongo:27017'] : []), 'nats:4222'];
      expect(egressOf(objects, unit.name), unit.name).toEqual(expected);
    }
    expect(egressOf(objects, 'collab-compactor')).toEqual(['mongo:27017', 'nats:4222']);
    expect(egressOf(objects, 'nats')).toEqual(['nats:6222']);
    expect(egressOf(objects, 'mongo')).toEqual(['mongo:27017']);
  });

  it('denies everything else by default', () => {
    const deny = ofKind<Policy>(rendered.prod, 'NetworkPolicy').find(
      (p) => p.metadata.name === 'default-deny',
    );
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });
});

describe('NATS in k8s', () => {
  it('holds the users and permissions derived from proto/', async () => {
    const text = await renderUsers(repoRoot);
    expect(readFileSync(join(repoRoot, 'k8s/base/nats/users.conf'), 'utf8')).toBe(text);
    const users = [...text.matchAll(/"user": "([a-z]+)"/g)].map((m) => m[1]);
    expect(users).toEqual(units.filter((u) => u.kind === 'service').map((u) => u.name));
  });

  it('is a configuration nats-server accepts, and gives every user its password variable', () => {
    const nats = ofKind<Workload>(rendered.prod, 'StatefulSet').find(
      (s) => s.metadata.name === 'nats',
    )!;
    const names = (nats.spec.template.spec.containers[0]!.env ?? []).map((e) => e.name);
    const services = units.filter((u) => u.kind === 'service').map((u) => u.name);
    for (const s of services) expect(names).toContain(passwordVariable(s));
    const dir = mkdtempSync(join(tmpdir(), 'agora-nats-conf-'));
    try {
      // Debian's nats-server is 2.9 (no sync_interval, a 2.10 option the image's 2.10 reads).
      const conf = readFileSync(join(repoRoot, 'k8s/base/nats/nats.conf'), 'utf8')
        .replace(/^\s*sync_interval:.*$/m, '')
        .replace('/data/jetstream', join(dir, 'js'))
        .replace('/var/run/nats/nats.pid', join(dir, 'nats.pid'));
      writeFileSync(join(dir, 'nats.conf'), conf);
      writeFileSync(
        join(dir, 'users.conf'),
        readFileSync(join(repoRoot, 'k8s/base/nats/users.conf')),
      );
      const env = {
        ...process.env,
        POD_NAME: 'nats-0',
        NATS_CLUSTER_PASSWORD: 'x',
      } as NodeJS.ProcessEnv;
      for (const s of services) env[passwordVariable(s)] = `password-of-${s}`;
      // `-t` checks the configuration and exits; it says so on stderr.
      const check = spawnSync('nats-server', ['-c', join(dir, 'nats.conf'), '-t'], {
        env,
        encoding: 'utf8',
      });
      expect(check.stderr).toMatch(/configuration file .* is valid/);
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
