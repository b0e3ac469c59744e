import {
  subjectMatches,
  type ConsumerDef,
  type Envelope,
  type EventDef,
  type EventOf,
} from '@agora/proto';
import type { Logger } from 'pino';

export interface ConsumerContext {
  /** 1 on the first delivery. */
  deliveryCount: number;
  subject: string;
  streamSequence: number;
  requestId: string;
  logger: Logger;
}

/** A handler of event `D`: its envelope with `data` already validated against the def. Must be idempotent. */
export type TypedEventHandler<D extends EventDef> = (
  event: EventOf<D>,
  ctx: ConsumerContext,
) => Promise<void>;

/** One event a consumer handles, and how (build it with `onEvent`). */
export interface EventBinding {
  readonly def: EventDef;
  readonly handle: (event: Envelope, ctx: ConsumerContext) => Promise<void>;
}

/** Binds a handler to an EventDef; the runner calls it only with envelopes that passed `def`. */
export function onEvent<D extends EventDef>(def: D, handle: TypedEventHandler<D>): EventBinding {
  // The widening is safe: ConsumerRunner parses every envelope with this def before calling it.
  return { def, handle: handle as EventBinding['handle'] };
}

/** Why `consumer` can never receive `def` (another stream, or no filter subject matching), if so. */
export function coverageProblem(consumer: ConsumerDef, def: EventDef): string | undefined {
  if (def.stream !== consumer.stream)
    return `${consumer.durable} reads ${consumer.stream}, but ${def.type} is in ${def.stream}`;
  if (!consumer.filterSubjects.some((f) => subjectMatches(f, def.subject)))
    return `${consumer.durable} does not receive ${def.subject} (filter ${consumer.filterSubjects.join(', ')})`;
  return undefined;
}
