import { Catch, Inject, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { errorBodySchema, type ErrorBody } from '@agora/proto';
import type { Logger } from 'pino';
import { throwError, type Observable } from 'rxjs';
import { PLATFORM_LOGGER } from '../platform.tokens.js';
import { RpcFailure } from './rpc-failure.js';

/** Sends RpcFailure bodies as they are; anything else becomes a generic INTERNAL (stack logged, not sent). */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(PLATFORM_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof RpcFailure) return throwError(() => exception.body);
    const subject =
      host.getType() === 'rpc'
        ? host.switchToRpc().getContext<{ getSubject?: () => string }>().getSubject?.()
        : undefined;
    this.logger.error({ err: exception, subject }, 'rpc handler failed');
    const body: ErrorBody = { code: 'INTERNAL', message: 'internal error' };
    return throwError(() => errorBodySchema.parse(body));
  }
}
