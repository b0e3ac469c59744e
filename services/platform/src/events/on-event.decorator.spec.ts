import 'reflect-metadata';
import { Controller, Injectable, Module } from '@nestjs/common';
import {
  deadLetterSubject,
  identityEvents,
  streams,
  subjectMatches,
  type ConsumerDef,
  type EventOf,
} from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from '../bootstrap/bootstrap-service.js';
import { createLogger } from '../logging/create-logger.js';
import { NatsService } from '../nats/nats.service.js';
import { ensureStream } from '../nats/provision.js';
import { PlatformModule } from '../platform.module.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { platformTestConfig } from '../testing/test-config.js';
import { DEAD_LETTER_HEADERS } from './consumer-runner.js';
import type { ConsumerContext } from './event-handler.js';
import { EventPublisher } from './event-publisher.js';
import { OnEvent } from './on-event.decorator.js';

const memberId = 'b'.repeat(24);
const watcher: ConsumerDef = {
  stream: streams.identity.name,
  durable: 'platform-on-event-test',
  filterSubjects: ['agora.identity.evt.profile.*'],
  maxDeliver: 4,
  ackWaitMs: 5_000,
  concurrency: 2,
};

const seen: { fields: string[]; delivery: number }[] = [];
const completed: string[] = [];

@Injectable()
class ProfileWatcher {
  @OnEvent(watcher, identityEvents.profileUpdated)
  updated(event: EventOf<typeof identityEvents.profileUpdated>, ctx: ConsumerContext) {
    // `data` is typed by the def: `fields` is a string[] here, no cast.
    seen.push({ fields: event.data.fields, delivery: ctx.deliveryCount });
    return Promise.resolve();
  }
}

/** A handler class is a controller when it also holds @Rpc methods: its @OnEvent ones run too. */
@Controller()
class CompletionHandler {
  @OnEvent(watcher, identityEvents.profileCompleted)
  async completed(event: EventOf<typeof identityEvents.profileCompleted>) {
    await Promise.resolve();
    completed.push(event.data.memberId);
  }
}

// Checked by `npm run check` (tsc over spec files): each @ts-expect-error line must NOT compile.
export class Mismatched {
  // @ts-expect-error the handler takes another event's envelope
  @OnEvent(watcher, identityEvents.profileUpdated) a(
    e: EventOf<typeof identityEvents.avatarChanged>,
  ) {
    return Promise.resolve(void e.data.avatarUrl);
  }

  // @ts-expect-error a handler must return a promise (the runner acks when it settles)
  @OnEvent(watcher, identityEvents.profileUpdated) b() {
    return 1;
  }
}

describe('@OnEvent(consumer, def) in a running service (real nats-server)', () => {
  let nats: NatsServerHandle;
  let service: RunningService;
  let bus: NatsService;

  beforeAll(async () => {
    nats = await startNatsServer();
    const config = platformTestConfig({ NATS_URL: nats.url });
    const logger = createLogger('on-event-test', 'silent');
    @Module({
      imports: [PlatformModule.forRoot({ service: 'on-event-test', config, mongo: false, logger })],
      providers: [ProfileWatcher],
      controllers: [CompletionHandler],
    })
    class AppModule {}
    service = await bootstrapService({
      service: 'on-event-test',
      module: AppModule,
      config,
      logger,
      handleSignals: false,
    });
    bus = service.app.get(NatsService);
    await bus.ready();
    // This process owns no stream: create the ones the test reads, as their owners would.
    for (const def of [streams.identity, streams.deadLetter]) await ensureStream(bus.jsm, def);
  });

  afterAll(async () => {
    await service?.shutdown();
    await nats?.stop();
  });

  it('runs the declared consumer and hands each handler its own event, validated', async () => {
    const publisher = service.app.get(EventPublisher);
    await publisher.publish(identityEvents.profileUpdated, {
      actor: memberId,
      subject: memberId,
      data: { memberId, fields: ['bio', 'sector'] },
    });
    await publisher.publish(identityEvents.profileCompleted, {
      actor: memberId,
      subject: memberId,
      data: { memberId, fields: ['displayName'] },
    });
    await expect
      .poll(() => seen, { timeout: 10_000 })
      .toEqual([{ fields: ['bio', 'sector'], delivery: 1 }]);
    await expect.poll(() => completed, { timeout: 10_000 }).toEqual([memberId]);
  });

  it('dead-letters data that does not match the def, with the reason, never handing it over', async () => {
    seen.length = 0;
    const bad = {
      id: crypto.randomUUID(),
      type: identityEvents.profileUpdated.type,
      occurredAt: new Date().toISOString(),
      actor: memberId,
      subject: memberId,
      data: { memberId, fields: 'bio' },
      v: 1,
    };
    await bus.js.publish(identityEvents.profileUpdated.subject, JSON.stringify(bad));
    const deadLetter = () =>
      bus.jsm.streams
        .getMessage(streams.deadLetter.name, { last_by_subj: deadLetterSubject(watcher.durable) })
        .catch(() => null);
    await expect.poll(deadLetter, { timeout: 10_000 }).not.toBeNull();
    const dl = await deadLetter();
    expect(dl?.header.get(DEAD_LETTER_HEADERS.reason)).toBe(
      'invalid identity.profile.updated data: fields: Invalid input: expected array, received string',
    );
    expect(dl?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    expect(seen).toEqual([]);
  });

  it('refuses, where it is declared, an event its consumer can never receive', () => {
    expect(() => OnEvent(watcher, identityEvents.memberDeleted)).toThrow(
      '@OnEvent(identity.member.deleted): platform-on-event-test does not receive agora.identity.evt.member.deleted (filter agora.identity.evt.profile.*)',
    );
    expect(() =>
      OnEvent({ ...watcher, stream: streams.deadLetter.name }, identityEvents.profileUpdated),
    ).toThrow(/reads AGORA_DEADLETTER, but identity\.profile\.updated is in AGORA_IDENTITY/);
  });

  it('matches NATS wildcards as the server does', () => {
    expect(subjectMatches('agora.identity.evt.>', 'agora.identity.evt.member.deleted')).toBe(true);
    expect(subjectMatches('agora.identity.evt.>', 'agora.identity.evt')).toBe(false);
    expect(subjectMatches('agora.*.evt.member.deleted', 'agora.identity.evt.member.deleted')).toBe(
      true,
    );
    expect(subjectMatches('agora.identity.evt.profile.*', 'agora.identity.evt.profile')).toBe(
      false,
    );
    expect(subjectMatches('agora.identity.evt.profile.*', 'agora.identity.evt.profile.a.b')).toBe(
      false,
    );
    expect(subjectMatches('agora.identity.evt.x', 'agora.identity.evt.x')).toBe(true);
  });
});
