/**
 * Ids for comments, replies and suggestions written into a shared doc: 16 random bytes in hex.
 * `crypto.getRandomValues` works on plain http too (`randomUUID` needs a secure context).
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const idPattern = /^[0-9a-f]{32}$/u;
