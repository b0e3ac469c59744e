import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677), the server side, as MongoDB runs it. The store keeps only
 * what RFC 5802 calls the stored and server keys (derived from the password with a random salt),
 * never the password itself: a client proves it knows the password without sending it, and the
 * server proves in return that it holds the keys.
 */

/** MongoDB's default iteration count for SCRAM-SHA-256. */
export const SCRAM_ITERATIONS = 15_000;
/** MongoDB's salt length for SHA-256 (the hash size minus 4). */
const SALT_BYTES = 28;

export interface ScramCredentials {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** An exchange that cannot succeed; the reason is for the store's log, never for the client. */
export class ScramError extends Error {}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** Derives the keys for `password` (printable ASCII, on which SASLprep is the identity). */
export function deriveScramCredentials(
  password: string,
  salt: Buffer = randomBytes(SALT_BYTES),
  iterations = SCRAM_ITERATIONS,
): ScramCredentials {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return {
    iterations,
    salt,
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: hmac(salted, 'Server Key'),
  };
}

/** `a=1,b=2` → { a: '1', b: '2' }; a value may itself hold `=` (base64). */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const m = /^([a-zA-Z])=(.*)$/s.exec(part);
    if (!m) throw new ScramError(`malformed SCRAM attribute '${part.slice(0, 40)}'`);
    if (out.has(m[1]!)) throw new ScramError(`repeated SCRAM attribute '${m[1]}'`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** saslname: `=2C` stands for `,` and `=3D` for `=`; any other `=` is malformed. */
function decodeSaslName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new ScramError('malformed user name in SCRAM message');
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

const PRINTABLE_NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;

/** One authentication attempt: the client's first message in, then its proof. */
export class ScramConversation {
  private constructor(
    readonly user: string,
    private readonly credentials: ScramCredentials,
    private readonly gs2Header: string,
    private readonly nonce: string,
    private readonly firstBare: string,
    readonly serverFirst: string,
  ) {}

  /**
   * Parses `n,,n=<user>,r=<client nonce>` and answers `r=<nonce>,s=<salt>,i=<iterations>`.
   * `lookup` returns the keys of a known user, or undefined. `serverNonce` is random but for the
   * RFC's test vector.
   */
  static start(
    clientFirst: string,
    lookup: (user: string) => ScramCredentials | undefined,
    serverNonce = randomBytes(24).toString('base64'),
  ): ScramConversation {
    // gs2 header: no channel binding ("n") or "client supports it, server does not" ("y").
    const header = /^([ny]),(a=[^,]*)?,/.exec(clientFirst);
    if (!header) {
      throw new ScramError(
        clientFirst.startsWith('p=')
          ? 'channel binding is not supported'
          : 'malformed SCRAM client-first message',
      );
    }
    if (header[2]) throw new ScramError('an authorization identity (a=) is not supported');
    const firstBare = clientFirst.slice(header[0].length);
    if (firstBare.startsWith('m=')) throw new ScramError('SCRAM extensions are not supported');
    const attrs = attributes(firstBare);
    const rawUser = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (rawUser === undefined || clientNonce === undefined || !PRINTABLE_NONCE.test(clientNonce))
      throw new ScramError('malformed SCRAM client-first message');
    const user = decodeSaslName(rawUser);
    const credentials = lookup(user);
    if (!credentials) throw new ScramError(`unknown user ${JSON.stringify(user.slice(0, 64))}`);
    const nonce = clientNonce + serverNonce;
    const serverFirst = `r=${nonce},s=${credentials.salt.toString('base64')},i=${credentials.iterations}`;
    return new ScramConversation(user, credentials, header[0], nonce, firstBare, serverFirst);
  }

  /**
   * Checks `c=<gs2 header>,r=<nonce>,p=<proof>` and answers `v=<server signature>`.
   * Throws when the proof is not that of the password the keys were derived from.
   */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('SCRAM client-final message without a proof');
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.gs2Header).toString('base64'))
      throw new ScramError('SCRAM channel binding does not match the first message');
    if (attrs.get('r') !== this.nonce) throw new ScramError('SCRAM nonce does not match');
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const authMessage = `${this.firstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.credentials.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new ScramError('wrong password');
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    const storedKey = createHash('sha256').update(clientKey).digest();
    if (!timingSafeEqual(storedKey, this.credentials.storedKey))
      throw new ScramError('wrong password');
    return `v=${hmac(this.credentials.serverKey, authMessage).toString('base64')}`;
  }
}
