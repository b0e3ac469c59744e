import type { NestExpressApplication } from '@nestjs/platform-express';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from '@agora/platform';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { trustProxySetting, type GatewayConfig } from '../config/gateway-env.schema.js';
import type { RateLimits } from '../rate-limit/rate-limits.js';
import { ApiError } from './api-error.js';
import { API_PREFIX } from './api-route.decorator.js';
import { sendError } from './api-error.filter.js';
import { binaryRouteOf } from './binary-body.js';
import { clientInfoOf } from './client-info.js';
import { mapError } from './error-mapping.js';
import { bodyUnread } from './request-body.js';
import { requestState } from './request-state.js';
import { rejectDollarKeys } from './validate-input.js';

export const JSON_BODY_LIMIT = '100kb';

/** Content-Security-Policy: the API serves JSON plus the self-hosted Swagger UI (scripts from 'self' only). */
export function contentSecurityPolicy(secure: boolean): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // Swagger UI sets inline style attributes.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'upgrade-insecure-requests': secure ? [] : null,
  };
}

/**
 * Express middleware in front of the Nest routes, in order: request id, security headers, CORS,
 * per-IP rate limit, the JSON parser with its size limit, media-type check, `$`-key refusal, request
 * context for logs and NATS headers. Their failures are answered in the one error shape. The body
 * of a `body: 'binary'` route is left unread here: BinaryBodyInterceptor reads it after the guard.
 */
export function configureHttp(
  app: NestExpressApplication,
  config: GatewayConfig,
  limits: RateLimits,
  logger: Logger,
): void {
  // Node answers `Expect: 100-continue` itself unless someone listens: a binary route's client must
  // wait until its token is checked (readBinaryBody sends the go-ahead); every other one goes ahead.
  const server: HttpServer = app.getHttpServer();
  server.on('checkContinue', (req, res) => {
    if (!binaryRouteOf(req)) res.writeContinue();
    server.emit('request', req, res);
  });

  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  app.set('query parser', 'simple'); // flat query strings: `a[b]=1` stays a key, never an object
  app.set('etag', false); // API answers are personal and live; media sets its own ETag

  app.use((req: Request, res: Response, next: NextFunction) => {
    const id = requestIdFrom(req.get(REQUEST_ID_HEADER));
    requestState(req).requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // Access log: path without the query (it may carry tokens), status, duration.
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = req.originalUrl.split('?')[0] ?? '';
      const line = {
        reqId: id,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(ms),
      };
      // Probes hit health every few seconds: keep them out of the info log.
      if (path === '/healthz' || path === '/readyz') logger.debug(line, 'http');
      else logger.info(line, 'http');
    });
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: contentSecurityPolicy(config.COOKIE_SECURE),
      },
      strictTransportSecurity: config.COOKIE_SECURE,
      // Media may be embedded by the one allowed foreign origin.
      crossOriginResourcePolicy: { policy: config.CORS_ORIGIN ? 'cross-origin' : 'same-origin' },
    }),
  );
  if (config.CORS_ORIGIN) {
    app.enableCors({
      origin: config.CORS_ORIGIN,
      credentials: true,
      exposedHeaders: [REQUEST_ID_HEADER, 'Retry-After'],
      maxAge: 600,
    });
  }
  app.use(API_PREFIX, (req: Request, res: Response, next: NextFunction) => {
    // Personal data by default; media and docs assets say otherwise.
    res.setHeader('Cache-Control', 'no-store');
    limits.checkIp(clientInfoOf(req).ip);
    next();
  });
  const json = express.json({
    limit: JSON_BODY_LIMIT,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  app.use(API_PREFIX, (req: Request, res: Response, next: NextFunction) => {
    if (binaryRouteOf(req)) next();
    else json(req, res, next);
  });
  app.use(API_PREFIX, (req: Request, _res: Response, next: NextFunction) => {
    const binary = binaryRouteOf(req) !== undefined;
    if (!binary && bodyUnread(req)) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send JSON with Content-Type: application/json');
    }
    rejectDollarKeys('query', req.query);
    if (!binary) rejectDollarKeys('body', req.body);
    next();
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    runWithRequestId(requestState(req).requestId, next);
  });
  // Errors of the middleware above (malformed JSON, too large, rate limited, ...).
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const mapped = mapError(err);
    if (mapped.serverFault)
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
    sendError(res, mapped);
  });
}
