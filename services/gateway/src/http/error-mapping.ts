import { HttpException } from '@nestjs/common';
import { RpcCallError, RpcFailure } from '@agora/platform';
import { errorCodes, httpStatusOf, type ErrorBody, type ErrorCode } from '@agora/proto';
import { ApiError, errorResponse } from './api-error.js';
import type { ErrorResponse } from '@agora/proto';

export interface MappedError {
  status: number;
  body: ErrorResponse;
  headers: Record<string, string>;
  /** True when the cause is ours (a bug or an outage) and deserves an error log line. */
  serverFault: boolean;
}

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Body-parser errors carry a `type` and an HTTP `status`. */
function bodyParserError(err: unknown): { type: string; status: number } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' ? { type, status } : undefined;
}

/** A service's RATE_LIMITED with `details.retryAfterSeconds` becomes a `Retry-After` header. */
function retryAfterOf(body: ErrorBody): Record<string, string> {
  if (body.code !== 'RATE_LIMITED' || typeof body.details !== 'object' || body.details === null)
    return {};
  const seconds = (body.details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0
    ? { 'Retry-After': String(seconds) }
    : {};
}

function mapped(body: ErrorBody, headers: Record<string, string> = {}): MappedError {
  return {
    status: httpStatusOf[body.code],
    body: errorResponse(body),
    headers: { ...retryAfterOf(body), ...headers },
    serverFault: body.code === 'INTERNAL',
  };
}

/** Turns anything thrown while serving a request into a status and the one error shape. */
export function mapError(err: unknown): MappedError {
  if (err instanceof ApiError) {
    const m = mapped({ code: err.code, message: err.message, details: err.details }, err.headers);
    m.status = err.status;
    return m;
  }
  if (err instanceof RpcFailure) return mapped(err.body);
  if (err instanceof RpcCallError) {
    // A service's answer passes through unchanged, except that its internals stay internal.
    const m = mapped(err.body);
    if (err.body.code === 'UNAVAILABLE') m.serverFault = true;
    return m;
  }
  const parser = bodyParserError(err);
  if (parser) {
    if (parser.type === 'entity.too.large')
      return mapped({ code: 'PAYLOAD_TOO_LARGE', message: 'request body too large' });
    if (parser.type === 'entity.parse.failed')
      return mapped({ code: 'VALIDATION_FAILED', message: 'malformed JSON body' });
    if (parser.type === 'encoding.unsupported' || parser.type === 'charset.unsupported')
      return mapped({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'unsupported body encoding' });
    if (parser.status >= 400 && parser.status < 500)
      return mapped({ code: 'VALIDATION_FAILED', message: 'unreadable request body' });
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = codeByStatus[status];
    if (code) return mapped({ code, message: err.message });
  }
  // RPC error bodies thrown as plain objects (should not happen, but keep their code).
  if (typeof err === 'object' && err !== null && isErrorCode((err as { code?: unknown }).code)) {
    const { code, message } = err as { code: ErrorCode; message?: unknown };
    if (code !== 'INTERNAL' && typeof message === 'string') return mapped({ code, message });
  }
  return { ...mapped({ code: 'INTERNAL', message: 'internal error' }), serverFault: true };
}
