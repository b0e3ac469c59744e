import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { accessTokenIssuer } from '@agora/proto';
import { claimDataDir, NATS_PID_FILE } from './data-dir-claim.js';
import { planHub, type HubUnit } from './hub-plan.js';
import { ensureNatsServer, natsServerVersion, supportsSyncInterval } from './nats-binary.js';
import {
  NATS_CONFIG_FILE,
  natsCredentialsFor,
  natsMonitorPort,
  writeNatsServerConfig,
} from './nats-config.js';
import { assertPortFree, freePort, freePorts, PortTakenError, reservePort } from './ports.js';
import { makeOwnerOnly, OWNER_ONLY_UMASK } from './owner-only.js';
import { createOriginProxy } from './proxy.js';
import { replicasOf } from './replicas.js';
import { accessPublicKeyOf, loadSecrets, STORE_USER } from './secrets.js';
import { Supervisor, waitForHttp, waitForOutput } from './supervisor.js';

/** The store's own login: only the store reads it (services get MONGO_URL). */
const NO_STORE_LOGIN: Record<string, undefined> = {
  AGORA_STORE_USER: undefined,
  AGORA_STORE_PASSWORD: undefined,
};

/**
 * Secrets the launcher's own environment may hold (an external MONGO_URL, a signing key given to
 * it): nats-server, the store and the web inherit the rest of that environment, never these. A
 * service gets what its unit names explicitly (and NATS_USER/NATS_PASSWORD of an external NATS).
 */
const NO_SECRETS: Record<string, undefined> = {
  ...NO_STORE_LOGIN,
  AUTH_SIGNING_KEY: undefined,
  MONGO_URL: undefined,
  NATS_USER: undefined,
  NATS_PASSWORD: undefined,
  NATS_TLS_KEY: undefined,
  SMTP_URL: undefined,
};

export interface HubOptions {
  /** Public port of the one origin; 0 picks a free one. */
  port?: number;
  /** Interface the one origin listens on (default 127.0.0.1; every other port is loopback only). */
  host?: string;
  /** Where nats and the store keep their data (and the generated secrets). */
  dataDir: string;
  /** Repository root (defaults to the one this package sits in). */
  root?: string;
  /** Extra environment for every service (e.g. ADMIN_EMAIL, SMTP_URL, NATS_URL, MONGO_URL). */
  env?: Record<string, string>;
  /** No child log lines (tests). */
  quiet?: boolean;
  write?: (text: string) => void;
  /** Aborting it while the hub starts stops what was started (reverse order) and rejects. */
  signal?: AbortSignal;
}

export interface RunningHub {
  url: string;
  services: { name: string; url: string }[];
  stop(): Promise<void>;
}

const defaultRoot = join(import.meta.dirname, '..', '..', '..', '..');

/** Node children load this first: they stop themselves when the launcher is killed outright. */
const exitWithParent = new URL('../bin/exit-with-parent.mjs', import.meta.url).href;
const nodeArgs = (script: string, ...args: string[]) => [
  '--import',
  exitWithParent,
  script,
  ...args,
];

/**
 * Starts the whole hub on this machine: nats-server, the store, every built workspace with an
 * `"agora"` field (back-end services, then the ones the origin routes to, then the web) and the proxy.
 * The calling process keeps an owner-only umask from here on, so that whatever it and its children
 * create under `dataDir` is 0600 / 0700.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const root = options.root ?? defaultRoot;
  // Before anything is created or spawned: children inherit it, nats-server's 0640 becomes 0600.
  process.umask(OWNER_ONLY_UMASK);
  const plan = planHub(root);
  const env = { ...options.env };
  // Counts are read before anything starts: a bad COLLAB_REPLICAS stops the start in one line.
  const launchEnv = { ...process.env, ...env };
  const replicated = plan.units.map((unit) => ({ unit, replicas: replicasOf(unit, launchEnv) }));
  const write = options.quiet
    ? () => {}
    : (options.write ?? ((t: string) => process.stdout.write(t)));
  const say = (line: string) => write(`agora: ${line}\n`);
  const publicPort = options.port ?? 8080;
  if (publicPort !== 0)
    await assertPortFree(publicPort, 'the hub', 'choose another with PORT=<port>');
  makeOwnerOnly(options.dataDir);
  const releaseDataDir = await claimDataDir(options.dataDir, say);
  const secrets = loadSecrets(options.dataDir, { ...process.env, ...env });

  const supervisor = new Supervisor({
    write,
    color: !options.quiet && process.stdout.isTTY === true,
    rawLogs: (env.LOG_FORMAT ?? process.env.LOG_FORMAT) === 'json',
    signal: options.signal,
    onUnexpectedExit: (name, code, restartInMs) =>
      say(
        restartInMs === null
          ? `${name} exited (code ${code}) and keeps failing; left down, so the hub is degraded — stop with Ctrl-C and read its log above`
          : `${name} exited unexpectedly (code ${code}); restarting in ${restartInMs / 1000} s`,
      ),
    onRestarted: (name) => say(`${name} restarted and ready`),
  });
  const services: { name: string; url: string }[] = [];
  let proxy: Server | null = null;
  // Lets go of the proxy's reserved port (port 0 only): just before the proxy listens, or on stop.
  let releaseProxyPort: () => Promise<void> = () => Promise.resolve();

  const stop = async () => {
    await releaseProxyPort();
    if (proxy) {
      const p = proxy;
      await new Promise<void>((resolve) => {
        p.close(() => resolve());
        p.closeAllConnections();
      });
    }
    await supervisor.stopAll();
    releaseDataDir();
  };

  try {
    // nats-server and the store need nothing of each other: they start side by side.
    const busStart = startNats(root, options.dataDir, env, plan.units, supervisor, say);
    const storeStart = startStore(root, options.dataDir, env, secrets.STORE_PASSWORD, supervisor);
    await allReady([busStart, storeStart]);
    const [bus, db] = [await busStart, await storeStart];
    services.push(...bus.listed, ...db.listed);

    // Port 0: the OS picks one, held until the proxy listens on it (services start meanwhile).
    const reserved = publicPort === 0 ? await reservePort(options.host ?? '127.0.0.1') : null;
    releaseProxyPort = reserved?.release ?? releaseProxyPort;
    const proxyPort = reserved?.port ?? publicPort;
    const publicUrl = `http://localhost:${proxyPort}`;
    // The origin browsers use: this proxy, unless the hub sits behind another one (PUBLIC_URL).
    const origin = env.PUBLIC_URL ?? process.env.PUBLIC_URL ?? publicUrl;
    const common = {
      NATS_URL: bus.url,
      AUTH_PUBLIC_KEY: accessPublicKeyOf(secrets.AUTH_SIGNING_KEY),
      LOG_LEVEL: env.LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info',
      ...env,
    };

    // Internal ports listen on loopback only, whatever the environment says; only the proxy is public.
    const unitEnv = (unit: HubUnit, port: number): Record<string, string | undefined> => {
      if (unit.kind === 'web')
        return { ...NO_SECRETS, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin };
      return {
        ...NO_STORE_LOGIN,
        ...common,
        // The service that signs access tokens alone holds the private key; the rest verify.
        AUTH_SIGNING_KEY: unit.name === accessTokenIssuer ? secrets.AUTH_SIGNING_KEY : undefined,
        ...(bus.users.has(unit.name)
          ? { NATS_USER: unit.name, NATS_PASSWORD: bus.users.get(unit.name) }
          : {}),
        // One HTTP port: /healthz, /readyz and, for a service the origin routes to, its routes. PORT
        // too, so the launcher's own PORT (the origin's) never reaches a service that reads it.
        HEALTH_PORT: String(port),
        PORT: String(port),
        LISTEN_HOST: '127.0.0.1',
        PUBLIC_URL: origin,
        // Only a service with a database gets the store's URL (and, in it, its credentials).
        MONGO_URL: unit.usesStore ? db.url : undefined,
        // What the origin routes to sits behind this proxy, on plain http://localhost.
        ...(unit.routes.length > 0
          ? {
              COOKIE_SECURE: env.COOKIE_SECURE ?? process.env.COOKIE_SECURE ?? 'false',
              TRUST_PROXY: env.TRUST_PROXY ?? process.env.TRUST_PROXY ?? 'true',
            }
          : {}),
      };
    };

    const upstreams = new Map<string, string[]>();
    const processOf = new Map<string, string>();
    // A tier starts once the one before is ready; its units (and their replicas) start together, so
    // on a hub of many services the start takes about as long as its slowest one per tier.
    for (const tier of [...new Set(replicated.map(({ unit }) => unit.tier))]) {
      const children = replicated
        .filter(({ unit }) => unit.tier === tier)
        .flatMap(({ unit, replicas }) => replicas.map((replica) => ({ unit, replica })));
      const ports = await freePorts(children.length);
      const started = children.map(({ unit, replica }, i) => {
        const port = ports[i]!;
        const url = `http://127.0.0.1:${port}`;
        return {
          name: replica.name,
          unit: unit.name,
          url,
          ready: supervisor.start({
            name: replica.name,
            command: process.execPath,
            args: [...unit.nodeFlags, ...nodeArgs(unit.entry)],
            env: {
              ...unitEnv(unit, port),
              ...(replica.id === null ? {} : { REPLICA_ID: replica.id }),
            },
            cwd: root,
            ready: () => waitForHttp(unit.kind === 'web' ? `${url}/` : `${url}/readyz`),
          }),
        };
      });
      await allReady(started.map((child) => child.ready));
      // Listed in plan order, whichever was ready first.
      for (const { name, unit, url } of started) {
        services.push({ name, url });
        upstreams.set(unit, [...(upstreams.get(unit) ?? []), url]);
        processOf.set(url, name);
      }
    }

    const server = createOriginProxy(
      plan.routes.map((r) => ({
        prefix: r.prefix,
        service: r.unit,
        targets: upstreams.get(r.unit) ?? [],
      })),
      // A replica that died is skipped at once (its restart comes back in turn once ready).
      {
        isLive: (target) => supervisor.isLive(processOf.get(target) ?? ''),
        onUpstreamError: (target, err) =>
          say(
            `proxy: ${processOf.get(target) ?? target} did not answer (${err.code ?? err.message})`,
          ),
      },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        // Taken since the check at the start (another program was quicker): the same one line.
        reject(
          err.code === 'EADDRINUSE'
            ? new PortTakenError(
                `port ${proxyPort} (the hub) is already in use: stop what holds it or choose another with PORT=<port>`,
              )
            : err,
        ),
      );
      void releaseProxyPort().then(() =>
        server.listen(proxyPort, options.host ?? '127.0.0.1', () => resolve()),
      );
    });
    proxy = server;
    return { url: publicUrl, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Waits for every start, also after one failed (so nothing is still starting when the caller stops
 * what runs), then rejects with the first failure in the order given.
 */
async function allReady(starts: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

interface StartedBus {
  url: string;
  /** Each service's NATS password (our own nats-server only). */
  users: Map<string, string>;
  /** What `hub.services` lists for it. */
  listed: { name: string; url: string }[];
}

/**
 * Our own nats-server: one user per service (permissions derived from proto), passwords made anew
 * at each start. An external NATS (NATS_URL) comes with credentials of its own.
 */
async function startNats(
  root: string,
  dataDir: string,
  env: Record<string, string>,
  units: HubUnit[],
  supervisor: Supervisor,
  say: (line: string) => void,
): Promise<StartedBus> {
  const external = env.NATS_URL ?? process.env.NATS_URL;
  if (external) return { url: external, users: new Map(), listed: [] };
  const bin = ensureNatsServer(join(root, '.cache'), say);
  const port = await freePort();
  const monitorPort = natsMonitorPort(env.NATS_MONITOR_PORT ?? process.env.NATS_MONITOR_PORT);
  if (monitorPort !== undefined)
    await assertPortFree(
      monitorPort,
      'the NATS monitor',
      'choose another with NATS_MONITOR_PORT=<port>',
    );
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const users = natsCredentialsFor(units.filter((u) => u.kind === 'service').map((u) => u.name));
  const configFile = join(dataDir, NATS_CONFIG_FILE);
  // An acknowledged JetStream write is on disk, not only in the OS cache, where the server can say
  // so (2.10+); 2.9 fsyncs every 2 minutes whatever it is told, and we say that.
  const version = natsServerVersion(bin);
  const syncAlways = version !== null && supportsSyncInterval(version);
  if (!syncAlways)
    say(
      `nats-server ${version?.join('.') ?? '(version unknown)'} has no sync_interval (2.10+): JetStream fsyncs every 2 minutes, so a power loss can lose acknowledged writes; tests/load/README.md has the cost of 'always'`,
    );
  writeNatsServerConfig(configFile, {
    port,
    storeDir,
    pidFile: join(dataDir, NATS_PID_FILE),
    monitorPort,
    users,
    syncAlways,
  });
  await supervisor.start({
    name: 'nats',
    command: bin,
    args: ['-c', configFile],
    env: { ...NO_SECRETS },
    cwd: root,
    // Monitoring is off by default, so no /healthz to poll: the server says when it serves.
    ready: async (child) => {
      await waitForOutput(child, /Server is ready/);
    },
  });
  const url = `nats://127.0.0.1:${port}`;
  return {
    url,
    users: new Map(users.map(({ user, password }) => [user, password])),
    listed: [
      { name: 'nats', url },
      ...(monitorPort === undefined
        ? []
        : [{ name: 'nats-monitor', url: `http://127.0.0.1:${monitorPort}` }]),
    ],
  };
}

/** The embedded store, unless MONGO_URL points elsewhere. */
async function startStore(
  root: string,
  dataDir: string,
  env: Record<string, string>,
  password: string,
  supervisor: Supervisor,
): Promise<{ url: string; listed: { name: string; url: string }[] }> {
  const external = env.MONGO_URL ?? process.env.MONGO_URL;
  if (external) return { url: external, listed: [] };
  // A fixed port (not 0), so a restarted store is where the services already look.
  const port = await freePort();
  await supervisor.start({
    name: 'store',
    command: process.execPath,
    args: nodeArgs(
      join(root, 'deploy/local/store/bin/agora-store.mjs'),
      '--port',
      String(port),
      '--dbpath',
      join(dataDir, 'store'),
    ),
    // Its credentials through the environment, never argv (which `ps` shows to everyone).
    env: { ...NO_SECRETS, AGORA_STORE_USER: STORE_USER, AGORA_STORE_PASSWORD: password },
    cwd: root,
    ready: async (child) => {
      await waitForOutput(child, /agora-store listening on /);
    },
  });
  return {
    url: `mongodb://${STORE_USER}:${password}@127.0.0.1:${port}/?authSource=admin`,
    // The hub prints this list: the store's address, without its password.
    listed: [{ name: 'store', url: `mongodb://127.0.0.1:${port}` }],
  };
}
