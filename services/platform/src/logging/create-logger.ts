import { pino, type Logger } from 'pino';
import { currentRequestId } from './request-context.js';

export type { Logger } from 'pino';

/** pino logger; every line has `service`, and `reqId` when inside a request. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    mixin() {
      const reqId = currentRequestId();
      return reqId === undefined ? {} : { reqId };
    },
  });
}
