import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { NatsContext } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from '../logging/request-context.js';
import { InflightTracker } from './inflight-tracker.js';

/** Restores the caller's request id for the handler and counts in-flight RPCs for graceful shutdown. */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  constructor(@Inject(InflightTracker) private readonly inflight: InflightTracker) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const headers = context.switchToRpc().getContext<NatsContext>().getHeaders() as
      MsgHdrs | undefined;
    const requestId = requestIdFrom(headers?.get(REQUEST_ID_HEADER));
    return new Observable((subscriber) => {
      const done = this.inflight.begin();
      const sub = runWithRequestId(requestId, () => next.handle().subscribe(subscriber));
      return () => {
        sub.unsubscribe();
        done();
      };
    });
  }
}
