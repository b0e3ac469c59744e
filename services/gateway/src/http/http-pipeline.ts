import type { NestExpressApplication } from '@nestjs/platform-express';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from '@agora/platform';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { trustProxySetting, type GatewayConfig } from '../config/gateway-env.schema.js';
import type { RateLimits } from '../rate-limit/rate-limits.js';
import { ApiError } from './api-error.js';
import { API_PREFIX } from './api-route.decorator.js';
import { sendError } from './api-error.filter.js';
import { clientInfoOf } from './client-info.js';
import { mapError } from './error-mapping.js';
import { bodyUnread } from './request-body.js';
import { requestState } from './request-state.js';
import { rejectDollarKeys } from './validate-input.js';

export const JSON_BODY_LIMIT = '100kb';
export const IMAGE_BODY_LIMIT = 5 * 1024 * 1024;
/** The one route taking a raw body (identityRoutes.meImage). */
const uploadPath = /^\/api\/me\/[^/]+\/?$/;

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
 * per-IP rate limit, body parsers with size limits, media-type check, `$`-key refusal, request
 * context for logs and NATS headers. Their failures are answered in the one error shape.
 */
export function configureHttp(
  app: NestExpressApplication,
  config: GatewayConfig,
  limits: RateLimits,
  logger: Logger,
): void {
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
  app.use(
    API_PREFIX,
    express.raw({
      type: (req) =>
        req.method === 'PUT' &&
        uploadPath.test((req as Request).originalUrl.split('?')[0] ?? '') &&
        /^image\//i.test(String(req.headers['content-type'] ?? '')),
      limit: IMAGE_BODY_LIMIT,
    }),
  );
  app.use(
    API_PREFIX,
    express.json({
      limit: JSON_BODY_LIMIT,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use(API_PREFIX, (req: Request, _res: Response, next: NextFunction) => {
    if (bodyUnread(req)) {
      const upload = uploadPath.test(req.originalUrl.split('?')[0] ?? '') && req.method === 'PUT';
      const lengthy = Number(req.headers['content-length'] ?? 0);
      if (upload && lengthy > IMAGE_BODY_LIMIT)
        throw new ApiError('PAYLOAD_TOO_LARGE', 'images are limited to 5 MiB');
      throw new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        upload
          ? 'send the image as its raw bytes with an image/* Content-Type'
          : 'send JSON with Content-Type: application/json',
      );
    }
    rejectDollarKeys('query', req.query);
    if (!Buffer.isBuffer(req.body)) rejectDollarKeys('body', req.body);
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
