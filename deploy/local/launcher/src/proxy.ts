import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

/** A path prefix of the one origin, as a workspace's `"agora".routes` declares it. */
export interface OriginRoute {
  /** `/` (everything) or a prefix like `/api`, which matches `/api` and `/api/…`, not `/apiary`. */
  prefix: string;
  /** Who declared it, for the error when it is not running. */
  service: string;
  /** Upstream base URLs, one per replica; none when that service is not part of this build. */
  targets: string[];
}

export interface OriginProxyOptions {
  /**
   * Whether a replica's process runs and was ready (the supervisor knows at once when one dies):
   * round robin skips the others. Unset: every replica counts as live.
   */
  isLive?: (target: string) => boolean;
  /** How long a replica that refused a connection is skipped (default 1 s). */
  refusedForMs?: number;
  now?: () => number;
  /** Told why a request could not reach its replica (the hub logs it). */
  onUpstreamError?: (target: string, err: NodeJS.ErrnoException) => void;
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

/** Where a path goes: its route's upstreams, or why there are none (answered 503). */
export function upstreamFor(
  path: string,
  routes: readonly OriginRoute[],
): { route: OriginRoute } | { unavailable: string } {
  const route = routeFor(path, routes);
  if (!route) return { unavailable: `no service of this build serves ${path}` };
  if (route.targets.length === 0)
    return { unavailable: `the ${route.service} service is not part of this build` };
  return { route };
}

/**
 * Round robin over a route's replicas, per new request or upgrade (not by document or session: a
 * replicated service must need no stickiness). A replica that is not live, or refused a connection
 * moments ago, is skipped; when none is left the next one in turn is tried anyway (its error is the
 * answer).
 */
export class RoundRobin {
  private readonly next = new Map<OriginRoute, number>();
  private readonly refusedUntil = new Map<string, number>();

  constructor(private readonly options: OriginProxyOptions = {}) {}

  pick(route: OriginRoute): string {
    const { targets } = route;
    const start = this.next.get(route) ?? 0;
    const now = (this.options.now ?? Date.now)();
    let chosen = start % targets.length;
    for (let k = 0; k < targets.length; k++) {
      const i = (start + k) % targets.length;
      const target = targets[i]!;
      const live = this.options.isLive?.(target) ?? true;
      if (live && (this.refusedUntil.get(target) ?? 0) <= now) {
        chosen = i;
        break;
      }
    }
    this.next.set(route, chosen + 1);
    return targets[chosen]!;
  }

  /** The replica at `target` refused or dropped a connection before answering. */
  refused(target: string): void {
    const now = (this.options.now ?? Date.now)();
    this.refusedUntil.set(target, now + (this.options.refusedForMs ?? 1_000));
  }
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** Errors that mean the replica is not there (nothing of the request reached a service). */
const GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT']);

/**
 * One origin for the browser: each request and WebSocket upgrade goes to the route's service, to
 * its replicas in turn.
 */
export function createOriginProxy(
  routes: readonly OriginRoute[],
  options: OriginProxyOptions = {},
): Server {
  const proxy = createProxyServer({ xfwd: true, ws: true });
  const balancer = new RoundRobin(options);
  // http-proxy-3 also reports a client's own socket errors (a browser tab closed mid-upgrade) on
  // the proxy, where its default listener throws: that ends one connection, never the process.
  proxy.on('error', (_err, _req, res) => {
    if (res && !('writeHead' in res)) res.destroy();
  });
  const failed = (target: string, err: NodeJS.ErrnoException) => {
    if (err.code && GONE.has(err.code)) balancer.refused(target);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstream = upstreamFor((req.url ?? '/').split('?')[0]!, routes);
    if ('unavailable' in upstream) return sendError(res, 503, 'UNAVAILABLE', upstream.unavailable);
    const target = balancer.pick(upstream.route);
    void proxy.web(req, res, { target }, (err) => {
      failed(target, err);
      // The cause (an internal address and port) goes to the log, never to the browser.
      options.onUpstreamError?.(target, err);
      sendError(res, 502, 'UNAVAILABLE', 'the service is unavailable; try again in a moment');
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A browser that goes away mid-handshake or mid-session resets its socket: that ends this one
    // connection, never the process (an 'error' with no listener would throw).
    socket.on('error', () => socket.destroy());
    const upstream = upstreamFor((req.url ?? '/').split('?')[0]!, routes);
    if ('unavailable' in upstream) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    const target = balancer.pick(upstream.route);
    // The client's socket is closed by the proxy: a stock client reconnects, to the next replica.
    void proxy.ws(req, socket, head, { target }, (err) => {
      failed(target, err);
      socket.destroy();
    });
  });
  return server;
}
