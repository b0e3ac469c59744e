import { ConfigError } from '../config/config-error.js';
import type { PlatformConfig } from '../config/platform-env.schema.js';

/** PEM files: the CA that signed the server's certificate; a client certificate and its key. */
export interface NatsTlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** How a process reaches NATS: where, as whom, over what. */
export interface NatsConnectionSettings {
  url: string;
  user?: string;
  pass?: string;
  /** Set: TLS is required (a server without it is refused). */
  tls?: NatsTlsFiles;
}

/**
 * The connection settings in the platform config. Halves of a pair (a user without a password, a
 * certificate without its key) are refused at start rather than failing on each connect.
 */
export function natsConnectionOf(config: PlatformConfig): NatsConnectionSettings {
  const settings: NatsConnectionSettings = { url: config.NATS_URL };
  if (config.NATS_USER !== undefined || config.NATS_PASSWORD !== undefined) {
    if (config.NATS_USER === undefined)
      throw new ConfigError('NATS_USER', 'required when NATS_PASSWORD is set');
    if (config.NATS_PASSWORD === undefined)
      throw new ConfigError('NATS_PASSWORD', 'required when NATS_USER is set');
    settings.user = config.NATS_USER;
    settings.pass = config.NATS_PASSWORD;
  }
  if ((config.NATS_TLS_CERT === undefined) !== (config.NATS_TLS_KEY === undefined)) {
    const missing = config.NATS_TLS_CERT === undefined ? 'NATS_TLS_CERT' : 'NATS_TLS_KEY';
    throw new ConfigError(missing, 'NATS_TLS_CERT and NATS_TLS_KEY go together');
  }
  const files: NatsTlsFiles = {};
  if (config.NATS_TLS_CA !== undefined) files.caFile = config.NATS_TLS_CA;
  if (config.NATS_TLS_CERT !== undefined) files.certFile = config.NATS_TLS_CERT;
  if (config.NATS_TLS_KEY !== undefined) files.keyFile = config.NATS_TLS_KEY;
  if (Object.keys(files).length > 0 || config.NATS_URL.startsWith('tls://')) settings.tls = files;
  return settings;
}
