import { error } from '@sveltejs/kit';
import { ApiError } from './errors.js';

/** The HTTP status and body the error page gets for a call that failed during a load. */
export interface LoadFailure {
  status: number;
  body: App.Error;
}

/**
 * Maps a failed API call to what the error page shows: the server's status and code, 503 when
 * the gateway could not be reached, 500 for anything else (a broken contract, a bug). The page
 * says the code in the reader's language; `message` keeps the server's text for developers.
 */
export function loadFailureOf(err: unknown): LoadFailure {
  if (!(err instanceof ApiError)) {
    return { status: 500, body: { message: 'unexpected error', code: 'INTERNAL' } };
  }
  const status =
    err.code === 'NETWORK' ? 503 : err.status >= 400 && err.status <= 599 ? err.status : 500;
  return { status, body: { message: err.message, code: err.code } };
}

/** Ends a load with the error page for `err` (see `loadFailureOf`). */
export function failLoad(err: unknown): never {
  const { status, body } = loadFailureOf(err);
  error(status, body);
}
