import type { HttpMethod, RouteDef } from '@agora/proto';
import { expressPath } from './api-route.decorator.js';

export interface CompiledRoute {
  def: RouteDef;
  pattern: RegExp;
}

/** `/api/members/:id` → a regex matching one path segment per parameter. */
export function compileRoutes(routes: readonly RouteDef[]): CompiledRoute[] {
  return routes.map((def) => {
    const source = expressPath(def)
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return { def, pattern: new RegExp(`^${source}/?$`) };
  });
}

/** Methods the route table serves at this path (empty = unknown path). */
export function methodsAt(compiled: readonly CompiledRoute[], path: string): HttpMethod[] {
  const methods = new Set<HttpMethod>();
  for (const r of compiled) if (r.pattern.test(path)) methods.add(r.def.method);
  return [...methods];
}

/** The route serving this method and path, if any. */
export function routeAt(
  compiled: readonly CompiledRoute[],
  method: string,
  path: string,
): RouteDef | undefined {
  return compiled.find((r) => r.def.method === method && r.pattern.test(path))?.def;
}
