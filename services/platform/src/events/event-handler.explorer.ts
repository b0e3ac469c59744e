import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { ConsumerDef } from '@agora/proto';
import { ConsumerRunner } from './consumer-runner.js';
import { onEvent, type EventBinding } from './event-handler.js';
import { onEventMetadata } from './on-event.decorator.js';

/** Finds every `@OnEvent` method among the app's providers and controllers and runs their consumers. */
@Injectable()
export class EventHandlerExplorer {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(ConsumerRunner) private readonly runner: ConsumerRunner,
  ) {}

  /** Starts one runner per declared consumer (they wait for NATS; PlatformModule stops them). */
  start(): void {
    const byDurable = new Map<string, { consumer: ConsumerDef; bindings: EventBinding[] }>();
    // Controllers too: a handler class holding @Rpc methods is one, and may hold @OnEvent ones.
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.isDependencyTreeStatic() || typeof instance !== 'object' || instance === null)
        continue;
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const meta = onEventMetadata(proto[name]);
        if (!meta) continue;
        const method = proto[name] as (...args: unknown[]) => Promise<void>;
        const entry = byDurable.get(meta.consumer.durable) ?? {
          consumer: meta.consumer,
          bindings: [],
        };
        if (entry.consumer !== meta.consumer)
          throw new Error(`two different ConsumerDefs named ${meta.consumer.durable}`);
        entry.bindings.push(onEvent(meta.def, (event, ctx) => method.call(instance, event, ctx)));
        byDurable.set(meta.consumer.durable, entry);
      }
    }
    for (const { consumer, bindings } of byDurable.values()) this.runner.run(consumer, bindings);
  }
}
