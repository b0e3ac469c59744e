import type { Document } from 'bson';
import { MAX_BSON_BYTES, MAX_MESSAGE_BYTES } from '../wire.js';
import { AUTH_DB, handshakeAuth } from './auth.js';
import type { CommandHandler } from './context.js';

export const MAX_WRITE_BATCH = 100_000;
export const STORE_VERSION = '7.0.0';

/** Standalone on purpose: no setName, so the driver never starts transactions (refused anyway). */
const hello: CommandHandler = (cmd, ctx) => {
  const legacy = 'ismaster' in cmd || 'isMaster' in cmd;
  const reply: Document = {
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: MAX_BSON_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 17,
    readOnly: false,
    ...handshakeAuth(cmd, ctx),
    ok: 1,
  };
  return reply;
};

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: STORE_VERSION,
    gitVersion: 'agora-embedded-store',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    maxBsonObjectSize: MAX_BSON_BYTES,
    storageEngines: ['agora-journal'],
    ok: 1,
  }),
  endSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
  // The store's one user may do everything, as mongod's `root`.
  connectionStatus: (_cmd, ctx) => ({
    authInfo: ctx.auth.user
      ? {
          authenticatedUsers: [{ user: ctx.auth.user, db: AUTH_DB }],
          authenticatedUserRoles: [{ role: 'root', db: AUTH_DB }],
        }
      : { authenticatedUsers: [], authenticatedUserRoles: [] },
    ok: 1,
  }),
  listDatabases: (cmd, ctx) => {
    const databases = [...ctx.catalog.dbs.keys()].map((name) => ({
      name,
      sizeOnDisk: 0,
      empty: false,
    }));
    return cmd.nameOnly
      ? { databases: databases.map(({ name }) => ({ name })), ok: 1 }
      : { databases, totalSize: 0, ok: 1 };
  },
};
