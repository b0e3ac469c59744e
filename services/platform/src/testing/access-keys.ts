import { generateKeyPairSync } from 'node:crypto';

export interface TestAccessKeys {
  /** SPKI PEM: `AUTH_PUBLIC_KEY`. */
  publicKey: string;
  /** PKCS8 PEM: identity's `AUTH_SIGNING_KEY`. */
  signingKey: string;
}

/** A fresh Ed25519 key pair for access tokens, as the launcher generates one. */
export function testAccessKeys(): TestAccessKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey, signingKey: privateKey };
}
