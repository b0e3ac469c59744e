import { RpcException } from '@nestjs/microservices';
import type { ErrorBody, ErrorCode } from '@agora/proto';

/** An error meant to cross the bus: the caller receives `body` as-is. */
export class RpcFailure extends RpcException {
  readonly body: ErrorBody;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    const body: ErrorBody = details === undefined ? { code, message } : { code, message, details };
    super(body);
    this.body = body;
    this.name = 'RpcFailure';
  }

  get code(): ErrorCode {
    return this.body.code;
  }
}
