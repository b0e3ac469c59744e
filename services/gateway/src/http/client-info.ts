import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** The caller's address (X-Forwarded-For only from trusted proxies, see TRUST_PROXY) and user agent. */
export function clientInfoOf(req: Request): ClientInfo {
  const ip = (req.ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 64) || 'unknown';
  const userAgent = (req.get('user-agent') ?? '').slice(0, 512);
  return { ip, userAgent };
}

export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo =>
  clientInfoOf(ctx.switchToHttp().getRequest<Request>()),
);
