import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { attachmentRoutes, type RouteDef } from '@agora/proto';
import type { Request, Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { ApiError } from './api-error.js';
import { ROUTE_DEF } from './api-route.decorator.js';
import { GATEWAY_CONFIG } from '../config/gateway-config.token.js';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import { IMAGE_BODY, readBinaryBody, typedBody, type BinaryBodyPolicy } from './binary-body.js';
import { requestState } from './request-state.js';

/**
 * Interceptors run after guards: the raw body of a `body: 'binary'` route is read here, once the
 * route guard has authenticated the caller and validated params and query.
 */
@Injectable()
export class BinaryBodyInterceptor implements NestInterceptor {
  /** Chat's uploads: attachments and forum images, within `CHAT_ATTACHMENT_MAX_BYTES`. */
  private readonly policies: ReadonlyMap<RouteDef, BinaryBodyPolicy>;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    const max = config.CHAT_ATTACHMENT_MAX_BYTES;
    const { attachmentUpload, forumImageUpload } = attachmentRoutes;
    this.policies = new Map<RouteDef, BinaryBodyPolicy>([
      [attachmentUpload, typedBody(attachmentUpload, max, 'attachments')],
      [forumImageUpload, typedBody(forumImageUpload, max, 'images')],
    ]);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const def = this.reflector.get<RouteDef | undefined>(ROUTE_DEF, context.getHandler());
    if (def?.body !== 'binary') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const policy = this.policies.get(def) ?? IMAGE_BODY;
    return from(readBinaryBody(req, http.getResponse<Response>(), policy)).pipe(
      mergeMap((body) => {
        const input = requestState(req).input;
        if (!input) throw new ApiError('INTERNAL', 'route input was not validated');
        input.body = body;
        return next.handle();
      }),
    );
  }
}
