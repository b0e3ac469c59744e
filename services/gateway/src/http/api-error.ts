import { httpStatusOf, type ErrorBody, type ErrorCode, type ErrorResponse } from '@agora/proto';

/** A failure the gateway answers itself, in the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After or Allow. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  toResponse(): ErrorResponse {
    return errorResponse({ code: this.code, message: this.message, details: this.details });
  }
}

/** `{ error: { code, message, details } }`; `details` only when there are some. */
export function errorResponse(body: ErrorBody): ErrorResponse {
  return {
    error:
      body.details === undefined
        ? { code: body.code, message: body.message }
        : { code: body.code, message: body.message, details: body.details },
  };
}

/** zod issues as the `details` of VALIDATION_FAILED. */
export function issuesDetails(
  where: string,
  issues: readonly { path: readonly PropertyKey[]; code: string; message: string }[],
): { in: string; path: string[]; code: string; message: string }[] {
  return issues.map((i) => ({
    in: where,
    path: i.path.map(String),
    code: i.code,
    message: i.message,
  }));
}
