import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { natsServerUser } from '@agora/proto';
import bcrypt from 'bcryptjs';

/** Where in the data directory the launcher writes the configuration it starts nats-server with. */
export const NATS_CONFIG_FILE = 'nats-server.conf';

/** `NATS_MONITOR_PORT`: unset or empty keeps monitoring off; otherwise a port for 127.0.0.1. */
export function natsMonitorPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`NATS_MONITOR_PORT=${value} is not a valid port number`);
  return port;
}

/** The NATS user a service connects as: its own name, a password made for this start. */
export interface NatsCredentials {
  user: string;
  password: string;
}

export interface NatsServerConfigOptions {
  port: number;
  storeDir: string;
  pidFile?: string;
  /** The monitoring port, on 127.0.0.1; off when unset. */
  monitorPort?: number;
  /** One entry per process; its permissions are derived from proto. */
  users: readonly NatsCredentials[];
  /** `sync_interval: always`: fsync before each JetStream acknowledgement (nats-server 2.10+ only). */
  syncAlways?: boolean;
}

/** Fresh credentials for each service, made at every start (the config and the services get them). */
export function natsCredentialsFor(services: readonly string[]): NatsCredentials[] {
  return services.map((user) => ({ user, password: randomBytes(32).toString('base64url') }));
}

/**
 * The nats-server configuration of a local hub: loopback only, JetStream in `storeDir`, one user
 * per service allowed only the subjects its contracts need, no anonymous user, monitoring off
 * unless a port is given. Values are JSON, which nats-server's configuration format accepts
 * (quoted, so a `$JS…` subject is not read as a variable).
 */
export function renderNatsServerConfig(options: NatsServerConfigOptions): string {
  // nats-server keeps only bcrypt hashes (cost 11, about 150 ms each here); services get the clear ones.
  const users = options.users.map(({ user, password }) =>
    natsServerUser(user, bcrypt.hashSync(password, 11)),
  );
  const lines = [
    '# Written by the Agora launcher at each start: edits are lost.',
    `listen: ${JSON.stringify(`127.0.0.1:${options.port}`)}`,
    `jetstream: ${JSON.stringify({
      store_dir: options.storeDir,
      ...(options.syncAlways ? { sync_interval: 'always' } : {}),
    })}`,
  ];
  if (options.pidFile) lines.push(`pid_file: ${JSON.stringify(options.pidFile)}`);
  if (options.monitorPort !== undefined)
    lines.push(`http: ${JSON.stringify(`127.0.0.1:${options.monitorPort}`)}`);
  lines.push(`authorization: ${JSON.stringify({ users }, null, 2)}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the configuration readable by its owner only (0600, made anew at each start). */
export function writeNatsServerConfig(file: string, options: NatsServerConfigOptions): void {
  rmSync(file, { force: true });
  writeFileSync(file, renderNatsServerConfig(options), { mode: 0o600, flag: 'wx' });
}
