import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Header (HTTP and NATS) carrying the request id across services. */
export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestContextStore {
  requestId: string;
}

/** The request being served; log lines carry its id as `reqId`. */
export const requestContext = new AsyncLocalStorage<RequestContextStore>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

const validId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a well-formed incoming id, otherwise makes a fresh one (ids end up in logs: keep them tame). */
export function requestIdFrom(value: string | undefined | null): string {
  return value && validId.test(value) ? value : randomUUID();
}

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}
