import { allRoutes, type RouteDef } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { ROUTE_DEF } from './api-route.decorator.js';
import { routeControllers } from './route-controllers.js';
import { bearerToken } from './route.guard.js';
import { ApiError } from './api-error.js';

function boundRoutes(): RouteDef[] {
  const out: RouteDef[] = [];
  for (const c of routeControllers) {
    const proto = c.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || typeof proto[name] !== 'function') continue;
      const def = Reflect.getMetadata(ROUTE_DEF, proto[name]) as RouteDef | undefined;
      if (def) out.push(def);
    }
  }
  return out;
}

describe('route coverage', () => {
  it('binds every route of the proto table to exactly one handler, and nothing else', () => {
    const bound = boundRoutes();
    for (const route of allRoutes) {
      expect(
        bound.filter((b) => b === route),
        `${route.method} ${route.path}`,
      ).toHaveLength(1);
    }
    expect(bound).toHaveLength(allRoutes.length);
  });
});

describe('bearerToken', () => {
  it('reads "Bearer <token>" and refuses other schemes', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(() => bearerToken('Basic dXNlcg==')).toThrow(ApiError);
    expect(() => bearerToken('Bearer a b')).toThrow(ApiError);
  });
});
