/** True for MongoDB's E11000 (a unique index refused the write). */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: { code?: unknown }[] };
  return (
    e.code === 11000 ||
    (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000))
  );
}
