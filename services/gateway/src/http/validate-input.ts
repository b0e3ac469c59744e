import type { RouteDef } from '@agora/proto';
import { ApiError, issuesDetails } from './api-error.js';
import { findDollarKey } from './dollar-keys.js';

export interface RawInput {
  params: Record<string, string>;
  query: unknown;
  body: unknown;
}

export interface ValidInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Parsed JSON body; for a binary route, the raw bytes once BinaryBodyInterceptor read them. */
  body: unknown;
}

/** Refuses operator-looking keys before anything else looks at the input. */
export function rejectDollarKeys(where: 'body' | 'query', value: unknown): void {
  const hit = findDollarKey(value);
  if (hit) {
    throw new ApiError('VALIDATION_FAILED', `keys starting with "$" are not allowed`, [
      {
        in: where,
        path: hit,
        code: 'forbidden_key',
        message: 'keys starting with "$" are not allowed',
      },
    ]);
  }
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  );
}

/**
 * Validates params, query and body against the route's zod schemas. A route without a schema for
 * a part accepts nothing there (no query string, no body), so unknown input is always refused.
 */
export function validateInput(route: RouteDef, raw: RawInput): ValidInput {
  rejectDollarKeys('query', raw.query);
  if (route.body !== 'binary') rejectDollarKeys('body', raw.body);

  const problems: ReturnType<typeof issuesDetails> = [];
  const part = (
    where: 'params' | 'query' | 'body',
    schema: RouteDef['params'],
    value: unknown,
  ): unknown => {
    if (!schema) {
      if (value === undefined || isEmptyObject(value)) return {};
      problems.push({
        in: where,
        path: [],
        code: 'unrecognized',
        message: `this route takes no ${where}`,
      });
      return undefined;
    }
    const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
    if (result.success) return result.data;
    problems.push(...issuesDetails(where, result.error.issues));
    return undefined;
  };

  const params = part('params', route.params, raw.params);
  const query = part('query', route.query, raw.query);
  // A binary body is not read yet: BinaryBodyInterceptor reads it after this check passed.
  const body =
    route.body === 'binary'
      ? undefined
      : part('body', route.body, raw.body === undefined ? {} : raw.body);
  if (problems.length > 0)
    throw new ApiError('VALIDATION_FAILED', 'request does not match the contract', problems);
  return {
    params: params as Record<string, unknown>,
    query: query as Record<string, unknown>,
    body,
  };
}
