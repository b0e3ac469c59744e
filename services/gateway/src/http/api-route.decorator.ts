import {
  applyDecorators,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
} from '@nestjs/common';
import type { RouteDef } from '@agora/proto';

export const ROUTE_DEF = 'agora:route-def';
export const API_PREFIX = '/api';

/** Express path of a proto route. */
export function expressPath(def: Pick<RouteDef, 'path'>): string {
  return `${API_PREFIX}${def.path}`;
}

/**
 * Binds a handler to a proto route: method, path and status come from the route table, and the
 * route guard reads the definition for auth and validation. Controllers never spell a path.
 */
export function ApiRoute(def: RouteDef): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: expressPath(def), method: RequestMethod[def.method] }),
    HttpCode(def.status),
    SetMetadata(ROUTE_DEF, def),
  );
}
