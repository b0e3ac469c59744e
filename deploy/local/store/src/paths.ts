/** Dotted-path helpers over plain documents. */

export type Doc = Record<string, unknown>;

/** Values at a dotted path, expanding arrays as MongoDB does for queries and index keys. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  // A top-level field of a document (most index keys and conditions): its one value.
  if (!path.includes('.') && doc !== null && typeof doc === 'object' && !Array.isArray(doc))
    return [(doc as Doc)[path]];
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, i: number): void => {
    if (i === parts.length) {
      out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      const idx = Number(parts[i]);
      if (Number.isInteger(idx) && /^\d+$/.test(parts[i]!)) {
        walk(value[idx], i + 1);
        return;
      }
      for (const el of value)
        if (el !== null && typeof el === 'object' && !Array.isArray(el)) walk(el, i);
      if (value.length === 0 && i < parts.length) out.push(undefined);
      return;
    }
    if (value === null || typeof value !== 'object') {
      out.push(undefined);
      return;
    }
    walk((value as Doc)[parts[i]!], i + 1);
  };
  walk(doc, 0);
  return out;
}

/** The single value at a dotted path (no array expansion beyond numeric indexes). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== 'object') cur[part] = {};
    cur = cur[part] as Doc;
  }
  cur[parts[parts.length - 1]!] = value;
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deep copy that keeps BSON value classes (ObjectId, Binary, Long...) — they are immutable. */
export function cloneDoc<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneDoc(v[k]);
    return out as T;
  }
  return v;
}
