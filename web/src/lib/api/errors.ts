import { errorResponseSchema, type ErrorCode } from '@agora/proto';

/** A failed API call, carrying the server's `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The first issue per field, from the zod issues in `details` (see `fieldErrorsOf`). */
  get fields(): Record<string, FieldIssue> {
    return fieldErrorsOf(this.details);
  }
}

/** Builds an ApiError from a response body; anything not in the error shape becomes INTERNAL. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const parsed = errorResponseSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(status, code, message, details);
  }
  return new ApiError(status, 'INTERNAL', `unexpected response (HTTP ${status})`);
}

/** One zod issue, reduced to what the UI needs to say it in the reader's language. */
export interface FieldIssue {
  code?: string;
  message: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  origin?: string;
}

interface Issue extends FieldIssue {
  path: unknown[];
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.path) && typeof v.message === 'string';
}

/** Where the gateway names the part of the request an issue is about; not part of the field path. */
const requestParts = new Set(['body', 'query', 'params']);

/** `['body', 'languages', 2]` → `languages.2` (the request part is not part of the field). */
function fieldKey(path: unknown[]): string {
  const segments = path.filter(
    (p): p is string | number => typeof p === 'string' || typeof p === 'number',
  );
  if (typeof segments[0] === 'string' && requestParts.has(segments[0])) segments.shift();
  return segments.join('.');
}

/**
 * Zod issues (`details` is the issue array, or `{ issues }`) → `{ "field.path": issue }`.
 * The first issue per field wins; issues without a path go under `""` (the form as a whole).
 */
export function fieldErrorsOf(details: unknown): Record<string, FieldIssue> {
  const issues: unknown[] = Array.isArray(details)
    ? details
    : typeof details === 'object' &&
        details !== null &&
        Array.isArray((details as { issues?: unknown }).issues)
      ? (details as { issues: unknown[] }).issues
      : [];
  const out: Record<string, FieldIssue> = {};
  for (const issue of issues) {
    if (!isIssue(issue)) continue;
    const key = fieldKey(issue.path);
    out[key] ??= {
      message: issue.message,
      ...(typeof issue.code === 'string' ? { code: issue.code } : {}),
      ...(typeof issue.minimum === 'number' ? { minimum: issue.minimum } : {}),
      ...(typeof issue.maximum === 'number' ? { maximum: issue.maximum } : {}),
      ...(typeof issue.format === 'string' ? { format: issue.format } : {}),
      ...(typeof issue.origin === 'string' ? { origin: issue.origin } : {}),
    };
  }
  return out;
}

/**
 * The gateway reports each issue's path, code and message; the same proto schema run here also
 * knows the bounds (minimum, maximum, format), so the UI can say "at least 12 characters" in the
 * reader's language. Server issues stay the source of truth: local ones only add detail to them.
 */
export function withSchemaDetail(err: ApiError, localIssues: readonly object[]): ApiError {
  if (!Array.isArray(err.details)) return err;
  const local = fieldErrorsOf(localIssues);
  const details: unknown[] = err.details.map((issue: unknown) => {
    if (!isIssue(issue)) return issue;
    const key = fieldKey(issue.path);
    const extra = local[key];
    if (!extra || (issue.code !== undefined && extra.code !== issue.code)) return issue;
    return { ...issue, ...pickBounds(extra) };
  });
  return new ApiError(err.status, err.code, err.message, details);
}

function pickBounds(issue: FieldIssue): Partial<FieldIssue> {
  const out: Partial<FieldIssue> = {};
  if (issue.minimum !== undefined) out.minimum = issue.minimum;
  if (issue.maximum !== undefined) out.maximum = issue.maximum;
  if (issue.format !== undefined) out.format = issue.format;
  if (issue.origin !== undefined) out.origin = issue.origin;
  return out;
}
