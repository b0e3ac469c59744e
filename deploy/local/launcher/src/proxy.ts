import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

/** A path prefix of the one origin, as a workspace's `"agora".routes` declares it. */
export interface OriginRoute {
  /** `/` (everything) or a prefix like `/api`, which matches `/api` and `/api/…`, not `/apiary`. */
  prefix: string;
  /** Who declared it, for the error when it is not running. */
  service: string;
  /** Upstream base URL; null when that service is not part of this build. */
  target: string | null;
}

/** The route with the longest prefix matching `path`; null when no route covers it. */
function routeFor(path: string, routes: readonly OriginRoute[]): OriginRoute | null {
  let best: OriginRoute | null = null;
  for (const route of routes) {
    const matches =
      route.prefix === '/' || path === route.prefix || path.startsWith(`${route.prefix}/`);
    if (matches && (!best || route.prefix.length > best.prefix.length)) best = route;
  }
  return best;
}

/** Where a path goes: its route's upstream, or why there is none (answered 503). */
export function upstreamFor(
  path: string,
  routes: readonly OriginRoute[],
): { target: string } | { unavailable: string } {
  const route = routeFor(path, routes);
  if (!route) return { unavailable: `no service of this build serves ${path}` };
  if (route.target === null)
    return { unavailable: `the ${route.service} service is not part of this build` };
  return { target: route.target };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** One origin for the browser: each request and WebSocket upgrade goes to the route's service. */
export function createOriginProxy(routes: readonly OriginRoute[]): Server {
  const proxy = createProxyServer({ xfwd: true, ws: true });
  proxy.on('error', (err, _req, res) => {
    if (res && 'writeHead' in res)
      sendError(res, 502, 'UNAVAILABLE', `upstream unavailable: ${err.message}`);
    else (res as Duplex | undefined)?.destroy();
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstream = upstreamFor((req.url ?? '/').split('?')[0]!, routes);
    if ('unavailable' in upstream) return sendError(res, 503, 'UNAVAILABLE', upstream.unavailable);
    void proxy.web(req, res, { target: upstream.target });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const upstream = upstreamFor((req.url ?? '/').split('?')[0]!, routes);
    if ('unavailable' in upstream) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    void proxy.ws(req, socket, head, { target: upstream.target });
  });
  return server;
}
