import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { RouteDef } from '@agora/proto';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { requestState } from './request-state.js';

type Part<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** The validated input of a route, typed from its proto schemas. */
export interface RouteInput<R extends RouteDef> {
  params: Part<R['params']>;
  query: Part<R['query']>;
  body: R['body'] extends 'binary' ? Buffer : Part<R['body']>;
}

/** The route's params, query and body as validated by the route guard. */
export const Input = createParamDecorator((_: unknown, ctx: ExecutionContext): unknown => {
  const input = requestState(ctx.switchToHttp().getRequest<Request>()).input;
  if (!input) throw new ApiError('INTERNAL', 'route input was not validated');
  return input;
});
