import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * PEM text as given: real newlines, or `\n` escapes where an environment file cannot hold a
 * multi-line value (a container's env, a CI secret).
 */
function pemText(value: string): string {
  return value.replace(/\\n/g, '\n').trim();
}

/** The public half of the access-token key pair: Ed25519, SPKI PEM. Throws a one-line reason. */
export function accessPublicKey(pem: string): KeyObject {
  const text = pemText(pem);
  // createPublicKey would accept a private key too (and derive its public half): refuse it, so the
  // signing key is never handed around as if it were the public one.
  if (/PRIVATE KEY-----/.test(text))
    throw new Error('a public key, not the private signing key (that one stays with identity)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new Error('an Ed25519 public key in SPKI PEM ("-----BEGIN PUBLIC KEY-----")');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`an Ed25519 public key (this one is ${key.asymmetricKeyType ?? 'unknown'})`);
  return key;
}

/** The private half, held by identity alone: Ed25519, PKCS8 PEM. Throws a one-line reason. */
export function accessSigningKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pemText(pem), format: 'pem' });
  } catch {
    throw new Error('an Ed25519 private key in PKCS8 PEM ("-----BEGIN PRIVATE KEY-----")');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`an Ed25519 private key (this one is ${key.asymmetricKeyType ?? 'unknown'})`);
  return key;
}

/** Whether a signing key and a public key are the two halves of one pair. */
export function isKeyPair(signingKeyPem: string, publicKeyPem: string): boolean {
  const derived = createPublicKey(accessSigningKey(signingKeyPem));
  return derived.equals(accessPublicKey(publicKeyPem));
}

/** Env schema of a key variable: checked at start, so a bad one is a one-line config error. */
export function keyPemSchema(parse: (pem: string) => KeyObject) {
  return z.string().superRefine((pem, ctx) => {
    try {
      parse(pem);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });
}
