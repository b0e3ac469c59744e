import { z } from 'zod';

/** Error codes shared by RPC replies, REST responses and socket acks. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  /** Sign-in or refresh of a suspended account; `details`: `{ reason, at }` (suspendedDetailsSchema). */
  'ACCOUNT_SUSPENDED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  /** A lifecycle transition the current state does not allow (the reason says which). */
  'INVALID_STATE',
  /** Well-formed but failing the domain's checks; `details` lists each failing check. */
  'UNPROCESSABLE',
  'RATE_LIMITED',
  /** A charge or correction the member's balance cannot cover (points never go below zero). */
  'INSUFFICIENT_POINTS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** HTTP status the gateway answers for each code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  ACCOUNT_SUSPENDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_STATE: 409,
  UNPROCESSABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INSUFFICIENT_POINTS: 409,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export const errorBodySchema = z.strictObject({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The one error shape of the REST API: `{ error: { code, message, details } }`. */
export const errorResponseSchema = z.strictObject({ error: errorBodySchema });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
