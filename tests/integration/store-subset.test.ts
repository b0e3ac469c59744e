import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  SUPPORTED_QUERY_OPERATORS,
  SUPPORTED_STAGES,
  SUPPORTED_UPDATE_OPERATORS,
} from '@agora/store';
import { describe, expect, it } from 'vitest';

// Services must stay inside the embedded store's documented subset (DESIGN.md, "Storage"), so the
// same code runs on the embedded store and on MongoDB. This scans every service that has a
// database for `$operators` and for features the store refuses.

const root = join(import.meta.dirname, '..', '..');
/** Services that depend on mongoose (the gateway has none: its `$ref`/`$schema` are JSON Schema). */
const servicesWithDatabase = readdirSync(join(root, 'services'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, 'services', e.name, 'package.json')))
  .map((e) => e.name)
  .filter((service) => {
    const pkg = JSON.parse(
      readFileSync(join(root, 'services', service, 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    return 'mongoose' in (pkg.dependencies ?? {});
  });

/** Modifiers and accumulators that appear inside supported operators and stages. */
const NESTED = [
  '$each',
  '$slice',
  '$position',
  '$sort',
  '$sum',
  '$avg',
  '$min',
  '$max',
  '$push',
  '$addToSet',
  '$first',
  '$last',
  '$size',
  '$cond',
  '$ifNull',
  '$eq',
];
const allowed = new Set<string>([
  ...SUPPORTED_QUERY_OPERATORS,
  ...SUPPORTED_UPDATE_OPERATORS,
  ...SUPPORTED_STAGES,
  ...NESTED,
]);
const refusedWords = /\b(collation|startTransaction|withTransaction|startSession)\b/;
/**
 * `$op:` as an object key or `'$op'` as a string; template `${…}` never matches, nor a string in a
 * value's place (`_id: '$postId'`, `{ $sum: '$n' }`): that is a field path, not an operator.
 */
const operatorToken = /(?<![\w$])(?<!:\s*['"])\$[a-zA-Z][a-zA-Z0-9]*(?=\s*:|['"])/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

export function findViolations(file: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const token of line.match(operatorToken) ?? []) {
      if (!allowed.has(token))
        out.push(`${file}:${i + 1}: ${token} is outside the embedded store's subset`);
    }
    if (refusedWords.test(line))
      out.push(`${file}:${i + 1}: ${refusedWords.exec(line)![1]} is refused by the embedded store`);
  });
  return out;
}

describe('services stay inside the embedded store subset', () => {
  it('flags operators and features outside the subset (self-check)', () => {
    expect(findViolations('x.ts', "model.find({ $text: { $search: 'a' } })")).toHaveLength(2);
    expect(findViolations('x.ts', "coll.find({}).collation({ locale: 'fr' })")).toHaveLength(1);
    expect(findViolations('x.ts', 'model.updateOne({ a: 1 }, { $set: { b: `${x}` } })')).toEqual(
      [],
    );
    // Field paths in a value's place are not operators; an unsupported stage still is.
    expect(findViolations('x.ts', "[{ $group: { _id: '$postId', n: { $sum: '$n' } } }]")).toEqual(
      [],
    );
    expect(findViolations('x.ts', "[{ $bucket: { groupBy: '$n' } }]")).toHaveLength(1);
  });

  it('finds no violation in service code', () => {
    expect(servicesWithDatabase).toContain('identity');
    const violations = servicesWithDatabase.flatMap((service) => {
      const src = join(root, 'services', service, 'src');
      return sourceFiles(src).flatMap((f) =>
        findViolations(relative(root, f), readFileSync(f, 'utf8')),
      );
    });
    expect(violations).toEqual([]);
  });
});
