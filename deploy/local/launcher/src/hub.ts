import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { claimDataDir, NATS_PID_FILE } from './data-dir-claim.js';
import { ensureNatsServer } from './nats-binary.js';
import { assertPortFree, freePort, PortTakenError } from './ports.js';
import { createOriginProxy } from './proxy.js';
import { loadSecrets } from './secrets.js';
import { Supervisor, waitForHttp, waitForOutput } from './supervisor.js';

export interface HubOptions {
  /** Public port of the one origin; 0 picks a free one. */
  port?: number;
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

/**
 * services/* that run as back-end services: built (dist/main.js), not the gateway (the edge, started
 * after them) and not collab (its own protocol on /collab: routed by COLLAB_URL until it lands here).
 * Identity first: the others may ask it about members.
 */
export function backendServices(root: string): string[] {
  const dir = join(root, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !['gateway', 'collab'].includes(n) && existsSync(join(dir, n, 'dist/main.js')))
    .sort((a, b) => (a === 'identity' ? -1 : b === 'identity' ? 1 : a.localeCompare(b)));
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

/** Starts the whole hub on this machine: nats-server, the store, identity, gateway, web and the proxy. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const root = options.root ?? defaultRoot;
  const env = { ...options.env };
  const write = options.quiet
    ? () => {}
    : (options.write ?? ((t: string) => process.stdout.write(t)));
  const say = (line: string) => write(`agora: ${line}\n`);
  const publicPort = options.port ?? 8080;
  if (publicPort !== 0)
    await assertPortFree(publicPort, 'the hub', 'choose another with PORT=<port>');
  mkdirSync(options.dataDir, { recursive: true });
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

  const stop = async () => {
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
    let natsUrl = env.NATS_URL ?? process.env.NATS_URL;
    if (!natsUrl) {
      const bin = ensureNatsServer(join(root, '.cache'), say);
      const [port, monitor] = [await freePort(), await freePort()];
      const storeDir = join(options.dataDir, 'nats');
      mkdirSync(storeDir, { recursive: true });
      await supervisor.start({
        name: 'nats',
        command: bin,
        args: [
          '-a',
          '127.0.0.1',
          '-p',
          String(port),
          '-m',
          String(monitor),
          '-js',
          '-sd',
          storeDir,
          '-P',
          join(options.dataDir, NATS_PID_FILE),
        ],
        env: {},
        cwd: root,
        ready: () => waitForHttp(`http://127.0.0.1:${monitor}/healthz`),
      });
      natsUrl = `nats://127.0.0.1:${port}`;
      services.push({ name: 'nats', url: natsUrl });
    }

    let mongoUrl = env.MONGO_URL ?? process.env.MONGO_URL;
    if (!mongoUrl) {
      const dbpath = join(options.dataDir, 'store');
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
          dbpath,
        ),
        env: {},
        cwd: root,
        ready: async (child) => {
          await waitForOutput(child, /agora-store listening on /);
        },
      });
      mongoUrl = `mongodb://127.0.0.1:${port}`;
      services.push({ name: 'store', url: mongoUrl });
    }

    const [gatewayPort, webPort] = [await freePort(), await freePort()];
    const proxyPort = publicPort === 0 ? await freePort() : publicPort;
    const publicUrl = `http://localhost:${proxyPort}`;
    // The origin browsers use: this proxy, unless the hub sits behind another one (PUBLIC_URL).
    const origin = env.PUBLIC_URL ?? process.env.PUBLIC_URL ?? publicUrl;
    const common = {
      NATS_URL: natsUrl,
      AUTH_JWT_SECRET: secrets.AUTH_JWT_SECRET,
      LOG_LEVEL: env.LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info',
      ...env,
    };

    // Every back-end service (identity today; spaces, chat, points as they land) shares one contract:
    // platform variables, its own store database, an HTTP port for /healthz and /readyz.
    for (const name of backendServices(root)) {
      const port = await freePort();
      await supervisor.start({
        name,
        command: process.execPath,
        args: nodeArgs(join(root, 'services', name, 'dist/main.js')),
        env: { ...common, MONGO_URL: mongoUrl, HEALTH_PORT: String(port), PUBLIC_URL: origin },
        cwd: root,
        ready: () => waitForHttp(`http://127.0.0.1:${port}/readyz`),
      });
      services.push({ name, url: `http://127.0.0.1:${port}` });
    }

    await supervisor.start({
      name: 'gateway',
      command: process.execPath,
      args: nodeArgs(join(root, 'services/gateway/dist/main.js')),
      env: {
        ...common,
        PORT: String(gatewayPort),
        // Behind our own proxy on plain http://localhost.
        COOKIE_SECURE: env.COOKIE_SECURE ?? process.env.COOKIE_SECURE ?? 'false',
        TRUST_PROXY: env.TRUST_PROXY ?? process.env.TRUST_PROXY ?? 'true',
      },
      cwd: root,
      ready: () => waitForHttp(`http://127.0.0.1:${gatewayPort}/readyz`),
    });
    services.push({ name: 'gateway', url: `http://127.0.0.1:${gatewayPort}` });

    await supervisor.start({
      name: 'web',
      command: process.execPath,
      args: nodeArgs(join(root, 'web/build')),
      env: { PORT: String(webPort), HOST: '127.0.0.1', ORIGIN: origin },
      cwd: root,
      ready: () => waitForHttp(`http://127.0.0.1:${webPort}/`),
    });
    services.push({ name: 'web', url: `http://127.0.0.1:${webPort}` });

    const server = createOriginProxy({
      gateway: `http://127.0.0.1:${gatewayPort}`,
      web: `http://127.0.0.1:${webPort}`,
      collab: env.COLLAB_URL ?? process.env.COLLAB_URL,
    });
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
      server.listen(proxyPort, '127.0.0.1', () => resolve());
    });
    proxy = server;
    return { url: publicUrl, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
