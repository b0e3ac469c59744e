import type { ErrorBody, ErrorCode } from '@agora/proto';

/** What RpcClient.call rejects with: the remote ErrorBody, or UNAVAILABLE when nobody answered. */
export class RpcCallError extends Error {
  constructor(
    readonly subject: string,
    readonly body: ErrorBody,
  ) {
    super(`${subject}: ${body.code}: ${body.message}`);
    this.name = 'RpcCallError';
  }

  get code(): ErrorCode {
    return this.body.code;
  }
}
