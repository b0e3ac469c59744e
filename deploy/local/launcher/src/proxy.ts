import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

export interface ProxyTargets {
  gateway: string;
  web: string;
  /** Unset while no collab service is part of the build. */
  collab?: string;
}

/** Which upstream serves a path; null when the path belongs to a service not in this build. */
export function routeFor(path: string, targets: ProxyTargets): string | null {
  if (
    path === '/api' ||
    path.startsWith('/api/') ||
    path.startsWith('/socket.io/') ||
    path === '/socket.io'
  )
    return targets.gateway;
  if (path === '/collab' || path.startsWith('/collab/')) return targets.collab ?? null;
  return targets.web;
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** One origin for the browser: `/api` and `/socket.io` → gateway, `/collab` → collab, the rest → web. */
export function createOriginProxy(targets: ProxyTargets): Server {
  const proxy = createProxyServer({ xfwd: true, ws: true });
  proxy.on('error', (err, _req, res) => {
    if (res && 'writeHead' in res)
      sendError(res, 502, 'UNAVAILABLE', `upstream unavailable: ${err.message}`);
    else (res as Duplex | undefined)?.destroy();
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const target = routeFor(path, targets);
    if (target === null) {
      return sendError(res, 503, 'UNAVAILABLE', 'the collab service is not part of this build yet');
    }
    void proxy.web(req, res, { target });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = routeFor((req.url ?? '/').split('?')[0]!, targets);
    if (target === null) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    void proxy.ws(req, socket, head, { target });
  });
  return server;
}
