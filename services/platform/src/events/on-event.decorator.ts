import type { ConsumerDef, EventDef } from '@agora/proto';
import { coverageProblem, type TypedEventHandler } from './event-handler.js';

const ON_EVENT = Symbol('agora:on-event');

export interface OnEventMetadata {
  readonly consumer: ConsumerDef;
  readonly def: EventDef;
}

/**
 * Declares a provider method as the handler of event `def` in the durable consumer `consumer` (both
 * from proto). PlatformModule finds these at start and runs each consumer once per process with all
 * its handlers. The method receives the envelope with `data` typed and validated (a message that does
 * not match the def is dead-lettered with the reason, never handed over); its signature must match
 * the def, or it does not compile.
 */
export function OnEvent<D extends EventDef>(consumer: ConsumerDef, def: D) {
  const problem = coverageProblem(consumer, def);
  if (problem) throw new Error(`@OnEvent(${def.type}): ${problem}`);
  return <F extends TypedEventHandler<D>>(
    _target: object,
    _key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): TypedPropertyDescriptor<F> => {
    const metadata: OnEventMetadata = { consumer, def };
    Reflect.defineMetadata(ON_EVENT, metadata, descriptor.value as object);
    return descriptor;
  };
}

/** The `@OnEvent` declaration on a method, if any. */
export function onEventMetadata(method: unknown): OnEventMetadata | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(ON_EVENT, method) as OnEventMetadata | undefined;
}
