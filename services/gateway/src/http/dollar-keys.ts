/**
 * Finds a `$`-prefixed key anywhere in a parsed JSON body or query (operator injection such as
 * `{ "email": { "$gt": "" } }`). Returns the path to the first one, or undefined. Keys containing
 * a dot-`$` segment (`a.$b`) are caught too, since a store may read them as paths.
 */
export function findDollarKey(
  value: unknown,
  path: string[] = [],
  depth = 0,
): string[] | undefined {
  if (depth > 64) return path; // absurd nesting is refused like an operator
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const hit = findDollarKey(value[i], [...path, String(i)], depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (key.startsWith('$') || key.includes('.$')) return [...path, key];
      const hit = findDollarKey((value as Record<string, unknown>)[key], [...path, key], depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}
