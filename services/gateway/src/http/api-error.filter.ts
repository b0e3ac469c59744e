import { Catch, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { allRoutes } from '@agora/proto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';
import { mapError, type MappedError } from './error-mapping.js';
import { bodyUnread } from './request-body.js';
import { compileRoutes, methodsAt } from './route-match.js';

const compiled = compileRoutes(allRoutes);

/** Nest's "no handler" 404 becomes 405 (with Allow) when the path exists under another method. */
export function unmatchedRouteError(method: string, path: string): ApiError {
  const methods = methodsAt(compiled, path);
  if (methods.length === 0 || methods.includes(method as never)) {
    return new ApiError('NOT_FOUND', `no route ${method} ${path}`);
  }
  return new ApiError(
    'METHOD_NOT_ALLOWED',
    `method ${method} not allowed here`,
    { allowed: methods },
    { Allow: methods.join(', ') },
  );
}

/** Writes a mapped error in the one error shape. */
export function sendError(res: Response, mapped: MappedError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
  // A refused body that was never read would otherwise be taken for the next request on this connection.
  if (bodyUnread(res.req)) res.setHeader('Connection', 'close');
  res.status(mapped.status).json(mapped.body);
}

/** Every failure of every HTTP route ends here: one shape, internals never leak. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    let error = exception;
    if (exception instanceof NotFoundException && req.route === undefined) {
      error = unmatchedRouteError(req.method, req.path);
    }
    const mapped = mapError(error);
    if (mapped.serverFault) {
      this.logger.error({ err: exception, method: req.method, path: req.path }, 'request failed');
    }
    sendError(res, mapped);
  }
}
