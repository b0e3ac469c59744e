import type { z } from 'zod';
import type { Envelope } from './envelope.js';

/** A domain event: published on `agora.<context>.evt.<entity>.<past-verb>` into stream `AGORA_<CONTEXT>`. */
export interface EventDef<Data extends z.ZodType = z.ZodType> {
  /** `<context>.<entity>.<past-verb>`, the envelope's `type`. */
  readonly type: string;
  readonly subject: string;
  readonly context: string;
  readonly stream: string;
  readonly data: Data;
  readonly v: number;
}

export type EventData<D> = D extends EventDef<infer Data> ? z.output<Data> : never;
export type EventOf<D> = Envelope<EventData<D>>;

const segment = /^[a-z][a-z-]*$/;

export function streamNameOf(context: string): string {
  return `AGORA_${context.toUpperCase()}`;
}

/** Builds an event definition; the only way a subject for an event is made. */
export function event<Data extends z.ZodType>(
  context: string,
  entity: string,
  pastVerb: string,
  data: Data,
  v = 1,
): EventDef<Data> {
  for (const part of [context, entity, pastVerb]) {
    if (!segment.test(part)) throw new Error(`invalid subject segment "${part}"`);
  }
  return {
    type: `${context}.${entity}.${pastVerb}`,
    subject: `agora.${context}.evt.${entity}.${pastVerb}`,
    context,
    stream: streamNameOf(context),
    data,
    v,
  };
}
