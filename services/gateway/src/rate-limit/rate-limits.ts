import { ApiError } from '../http/api-error.js';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import { TokenBuckets } from './token-bucket.js';

/** Per-IP, per-member and per-socket budgets of this gateway replica. */
export class RateLimits {
  readonly perIp: TokenBuckets;
  readonly perMember: TokenBuckets;
  /**
   * socket.io transport handshakes per IP (polling or WebSocket, before any namespace connect), at
   * twice the IP's budget: an open transport costs memory even if it never authenticates.
   */
  readonly perTransportHandshake: TokenBuckets;
  /** Messages per socket.io connection. */
  readonly perSocket: TokenBuckets;

  constructor(
    config: Pick<
      GatewayConfig,
      | 'RATE_LIMIT_IP_BURST'
      | 'RATE_LIMIT_IP_PER_SEC'
      | 'RATE_LIMIT_MEMBER_BURST'
      | 'RATE_LIMIT_MEMBER_PER_SEC'
      | 'RATE_LIMIT_SOCKET_BURST'
      | 'RATE_LIMIT_SOCKET_PER_SEC'
    >,
    now?: () => number,
  ) {
    this.perIp = new TokenBuckets(
      { burst: config.RATE_LIMIT_IP_BURST, perSecond: config.RATE_LIMIT_IP_PER_SEC },
      now,
    );
    this.perMember = new TokenBuckets(
      { burst: config.RATE_LIMIT_MEMBER_BURST, perSecond: config.RATE_LIMIT_MEMBER_PER_SEC },
      now,
    );
    this.perTransportHandshake = new TokenBuckets(
      { burst: config.RATE_LIMIT_IP_BURST * 2, perSecond: config.RATE_LIMIT_IP_PER_SEC * 2 },
      now,
    );
    this.perSocket = new TokenBuckets(
      { burst: config.RATE_LIMIT_SOCKET_BURST, perSecond: config.RATE_LIMIT_SOCKET_PER_SEC },
      now,
    );
  }

  /** Throws RATE_LIMITED (429 with Retry-After) when the IP's bucket is empty. */
  checkIp(ip: string): void {
    limited(this.perIp.take(`ip:${ip}`), 'too many requests from this address');
  }

  checkMember(memberId: string): void {
    limited(this.perMember.take(`member:${memberId}`), 'too many requests for this account');
  }
}

function limited(result: { allowed: boolean; retryAfterSeconds: number }, message: string): void {
  if (result.allowed) return;
  throw new ApiError(
    'RATE_LIMITED',
    message,
    { retryAfterSeconds: result.retryAfterSeconds },
    {
      'Retry-After': String(result.retryAfterSeconds),
    },
  );
}
