import { ObjectId } from 'bson';

/** A command failure answered as `{ ok: 0, errmsg, code, codeName }`, like MongoDB. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badValue = (msg: string) => new CommandError(2, 'BadValue', msg);
export const failedToParse = (msg: string) => new CommandError(9, 'FailedToParse', msg);
export const unauthorized = (command: string) =>
  new CommandError(13, 'Unauthorized', `command ${command} requires authentication`);
export const typeMismatch = (msg: string) => new CommandError(14, 'TypeMismatch', msg);
export const protocolError = (msg: string) => new CommandError(17, 'ProtocolError', msg);
/** The one answer to every failed login, as mongod gives it: the reason goes to the log only. */
export const authenticationFailed = () =>
  new CommandError(18, 'AuthenticationFailed', 'Authentication failed.');
export const illegalOperation = (msg: string) => new CommandError(20, 'IllegalOperation', msg);
export const namespaceNotFound = (msg: string) => new CommandError(26, 'NamespaceNotFound', msg);
export const indexNotFound = (msg: string) => new CommandError(27, 'IndexNotFound', msg);
export const cursorNotFound = (id: string) =>
  new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
export const namespaceExists = (msg: string) => new CommandError(48, 'NamespaceExists', msg);
export const commandNotFound = (name: string) =>
  new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
export const immutableField = (msg: string) => new CommandError(66, 'ImmutableField', msg);
export const invalidOptions = (msg: string) => new CommandError(72, 'InvalidOptions', msg);
export const conflictingUpdate = (msg: string) =>
  new CommandError(40, 'ConflictingUpdateOperators', msg);
export const tooLarge = (msg: string) => new CommandError(10334, 'BSONObjectTooLarge', msg);
/** Transactions are refused, never faked: services rely on single-document atomicity. */
export const transactionsRefused = () =>
  illegalOperation(
    'transactions are not supported by the Agora embedded store; design for single-document atomicity',
  );
/** Anything outside the documented subset: loud, named, never a guess. */
export const unsupported = (what: string) =>
  new CommandError(
    115,
    'CommandNotSupported',
    `${what} is not supported by the Agora embedded store (see deploy/local/store/README.md for the supported subset)`,
  );

/** A duplicate key on a unique index; turned into a `writeErrors` entry by write commands. */
export class DuplicateKeyError extends CommandError {
  constructor(
    ns: string,
    indexName: string,
    keyPattern: Record<string, unknown>,
    keyValue: Record<string, unknown>,
  ) {
    super(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatKey(keyValue)}`,
      { keyPattern, keyValue },
    );
  }
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (typeof v === 'object') return formatKey(v as Record<string, unknown>);
  return typeof v === 'bigint' ? v.toString() : 'undefined';
}

function formatKey(key: Record<string, unknown>): string {
  return `{ ${Object.entries(key)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(', ')} }`;
}
