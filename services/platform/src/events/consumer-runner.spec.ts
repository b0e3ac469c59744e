import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  deadLetterSubject,
  event,
  identityEvents,
  streams,
  type ConsumerDef,
  type Envelope,
} from '@agora/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logging/create-logger.js';
import { REQUEST_ID_HEADER, runWithRequestId } from '../logging/request-context.js';
import { NatsService } from '../nats/nats.service.js';
import { ensureStream } from '../nats/provision.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { ConsumerRunner, DEAD_LETTER_HEADERS, type RunningConsumer } from './consumer-runner.js';
import { onEvent } from './event-handler.js';
import { EventPublisher } from './event-publisher.js';

const memberId = 'a'.repeat(24);
const logger = createLogger('consumer-test', 'silent');
const type = identityEvents.profileUpdated.type;
let counter = 0;

function consumerDef(overrides: Partial<ConsumerDef> = {}): ConsumerDef {
  counter += 1;
  return {
    stream: streams.identity.name,
    durable: `platform-test-${counter}`,
    filterSubjects: [identityEvents.profileUpdated.subject],
    maxDeliver: 3,
    ackWaitMs: 5_000,
    concurrency: 2,
    ...overrides,
  };
}

describe('ConsumerRunner', () => {
  let server: NatsServerHandle;
  let nats: NatsService;
  let publisher: EventPublisher;
  let runner: ConsumerRunner;
  const running: RunningConsumer[] = [];

  const publish = (fields = ['bio']) =>
    publisher.publish(identityEvents.profileUpdated, {
      actor: memberId,
      subject: memberId,
      data: { memberId, fields },
    });

  const deadLetter = async (durable: string) => {
    try {
      const msg = await nats.jsm.streams.getMessage(streams.deadLetter.name, {
        last_by_subj: deadLetterSubject(durable),
      });
      return msg ?? undefined;
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    server = await startNatsServer();
    nats = new NatsService({ url: server.url, name: 'consumer-test', logger });
    await nats.ready();
    // This process owns no stream: create the ones the tests read, as their owners would.
    for (const def of [streams.identity, streams.deadLetter]) await ensureStream(nats.jsm, def);
    publisher = new EventPublisher(nats, logger);
    runner = new ConsumerRunner(nats, logger, { nakBaseDelayMs: 20 });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await nats.jsm.streams.purge(streams.identity.name);
  });

  afterAll(async () => {
    await nats?.drain();
    await server?.stop();
  });

  it('hands each event to its handler once and acks it', async () => {
    const seen: Envelope[] = [];
    const published = await Promise.all([publish(), publish(), publish()]);
    const def = consumerDef();
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, (env) => Promise.resolve(void seen.push(env))),
      ]),
    );
    await expect.poll(() => seen.length).toBe(3);
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set(published.map((p) => p.envelope.id)));
    await expect
      .poll(async () => {
        const info = await nats.jsm.consumers.info(def.stream, def.durable);
        return [info.num_ack_pending, info.num_pending];
      })
      .toEqual([0, 0]);
    expect(seen).toHaveLength(3);
  });

  it('redelivers after a thrown handler, then acks', async () => {
    const deliveries: number[] = [];
    await publish();
    const def = consumerDef();
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, (_env, ctx) => {
          deliveries.push(ctx.deliveryCount);
          return ctx.deliveryCount === 1
            ? Promise.reject(new Error('transient'))
            : Promise.resolve();
        }),
      ]),
    );
    await expect.poll(() => deliveries).toEqual([1, 2]);
    await expect
      .poll(async () => (await nats.jsm.consumers.info(def.stream, def.durable)).num_ack_pending)
      .toBe(0);
    expect(await deadLetter(def.durable)).toBeUndefined();
  });

  it('dead-letters after maxDeliver failures with the reason in headers', async () => {
    let calls = 0;
    const { envelope } = await runWithRequestId('req-dl', () => publish());
    const def = consumerDef({ maxDeliver: 3 });
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, () => {
          calls += 1;
          return Promise.reject(new Error(`boom ${calls}\nsecond line`));
        }),
      ]),
    );
    await expect.poll(() => deadLetter(def.durable), { timeout: 5_000 }).toBeDefined();
    const dl = (await deadLetter(def.durable))!;
    expect(calls).toBe(3);
    expect(dl.header.get(DEAD_LETTER_HEADERS.reason)).toBe(
      'handler failed 3 times: boom 3 second line',
    );
    expect(dl.header.get(DEAD_LETTER_HEADERS.originalSubject)).toBe(
      identityEvents.profileUpdated.subject,
    );
    expect(dl.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    expect(dl.header.get(REQUEST_ID_HEADER)).toBe('req-dl');
    expect(dl.json<Envelope>().id).toBe(envelope.id);
    // Terminated: not delivered again.
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(3);
    expect((await nats.jsm.consumers.info(def.stream, def.durable)).num_ack_pending).toBe(0);
  });

  it('keeps a slow handler alive, and dead-letters a message whose handler is stuck', async () => {
    // Slow but finite: heartbeats keep the message from being redelivered.
    const slowDeliveries: number[] = [];
    await publish();
    const slow = consumerDef({ ackWaitMs: 300, maxDeliver: 2 });
    const slowRun = runner.run(slow, [
      onEvent(identityEvents.profileUpdated, async (_e, ctx) => {
        slowDeliveries.push(ctx.deliveryCount);
        await new Promise((r) => setTimeout(r, 500));
      }),
    ]);
    await expect
      .poll(
        async () => (await nats.jsm.consumers.info(slow.stream, slow.durable)).num_ack_pending,
        { timeout: 3_000 },
      )
      .toBe(0);
    await expect.poll(() => slowDeliveries.length).toBe(1);
    await slowRun.stop();
    expect(slowDeliveries).toEqual([1]);

    // Stuck: past KEEP_ALIVE_ACK_WAITS the message comes back; past maxDeliver it is dead-lettered unhandled.
    await nats.jsm.streams.purge(streams.identity.name);
    const stuckDeliveries: number[] = [];
    await publish();
    const stuck = consumerDef({ ackWaitMs: 300, maxDeliver: 2, concurrency: 4 });
    running.push(
      runner.run(stuck, [
        onEvent(identityEvents.profileUpdated, async (_e, ctx) => {
          stuckDeliveries.push(ctx.deliveryCount);
          await new Promise((r) => setTimeout(r, 2_500));
        }),
      ]),
    );
    await expect.poll(() => deadLetter(stuck.durable), { timeout: 8_000 }).toBeDefined();
    const dl = (await deadLetter(stuck.durable))!;
    expect(dl.header.get(DEAD_LETTER_HEADERS.reason)).toBe(
      'delivered 3 times without an ack (handler timed out or crashed)',
    );
    expect(stuckDeliveries).toEqual([1, 2]);
  });

  it('dead-letters an invalid envelope at once without calling the handler', async () => {
    let calls = 0;
    const h = natsHeaders();
    h.set(REQUEST_ID_HEADER, 'req-bad');
    await nats.js.publish(
      identityEvents.profileUpdated.subject,
      JSON.stringify({ id: 'nope', type }),
      { headers: h },
    );
    await nats.js.publish(identityEvents.profileUpdated.subject, 'not json at all');
    const def = consumerDef();
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, () => Promise.resolve(void (calls += 1))),
      ]),
    );
    await expect
      .poll(
        async () =>
          (
            await nats.jsm.streams.info(streams.deadLetter.name, {
              subjects_filter: deadLetterSubject(def.durable),
            })
          ).state.subjects?.[deadLetterSubject(def.durable)],
      )
      .toBe(2);
    const last = (await deadLetter(def.durable))!;
    expect(last.header.get(DEAD_LETTER_HEADERS.reason)).toBe('payload is not JSON');
    expect(last.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    const first = await nats.jsm.streams.getMessage(streams.deadLetter.name, { seq: last.seq - 1 });
    expect(first?.header.get(DEAD_LETTER_HEADERS.reason)).toMatch(/^invalid envelope: id/);
    expect(calls).toBe(0);
  });

  it('never runs more handlers at once than the consumer allows', async () => {
    let now = 0;
    let max = 0;
    let done = 0;
    await Promise.all(Array.from({ length: 8 }, () => publish()));
    const def = consumerDef({ concurrency: 2 });
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, async () => {
          now += 1;
          max = Math.max(max, now);
          await new Promise((r) => setTimeout(r, 60));
          now -= 1;
          done += 1;
        }),
      ]),
    );
    await expect.poll(() => done, { timeout: 5_000 }).toBe(8);
    expect(max).toBe(2);
  });

  it('restores the request id for the handler', async () => {
    const ids: string[] = [];
    await runWithRequestId('req-carried', () => publish());
    running.push(
      runner.run(consumerDef(), [
        onEvent(identityEvents.profileUpdated, (_e, ctx) =>
          Promise.resolve(void ids.push(ctx.requestId)),
        ),
      ]),
    );
    await expect.poll(() => ids).toEqual(['req-carried']);
  });

  it('waits for a handler in flight when stopped', async () => {
    let finished = false;
    let started = false;
    await publish();
    const consumer = runner.run(consumerDef(), [
      onEvent(identityEvents.profileUpdated, async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 200));
        finished = true;
      }),
    ]);
    await expect.poll(() => started).toBe(true);
    await consumer.stop();
    expect(finished).toBe(true);
  });

  it('hands back messages pulled but not started when stopped, for the next runner at once', async () => {
    // ackWait far beyond the poll timeout: only an explicit nak can make them arrive in time.
    const def = consumerDef({ ackWaitMs: 60_000, concurrency: 2 });
    const published = await Promise.all(Array.from({ length: 6 }, () => publish()));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const firstSeen: string[] = [];
    const first = runner.run(def, [
      onEvent(identityEvents.profileUpdated, async (env) => {
        firstSeen.push(env.id);
        await gate;
      }),
    ]);
    await expect.poll(() => firstSeen.length).toBe(2);
    // The first runner holds more than it runs and no pull request is open, so no message is in
    // flight to it when it stops (one in flight would wait out the ack wait: nothing to nak).
    await expect
      .poll(async () => {
        const info = await nats.jsm.consumers.info(def.stream, def.durable);
        return info.num_waiting === 0 && info.num_ack_pending > 2;
      })
      .toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = first.stop();
    release();
    await stopping;

    const secondSeen: string[] = [];
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, (env) =>
          Promise.resolve(void secondSeen.push(env.id)),
        ),
      ]),
    );
    const rest = published.map((p) => p.envelope.id).filter((id) => !firstSeen.includes(id));
    // Each exactly once here (at least once in general).
    await expect.poll(() => [...secondSeen].sort(), { timeout: 5_000 }).toEqual(rest.sort());
  }, 15_000);

  it('restarts itself when its consumer is deleted under it', async () => {
    const seen: string[] = [];
    const def = consumerDef();
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, (env) => Promise.resolve(void seen.push(env.id))),
      ]),
    );
    const first = await publish();
    await expect.poll(() => seen).toEqual([first.envelope.id]);
    await nats.jsm.consumers.delete(def.stream, def.durable);
    await nats.jsm.streams.purge(def.stream);
    const second = await publish();
    await expect
      .poll(() => seen, { timeout: 10_000 })
      .toEqual([first.envelope.id, second.envelope.id]);
    const info = await nats.jsm.consumers.info(def.stream, def.durable);
    expect(info.config.ack_policy).toBe('explicit');
  });

  it('stops promptly at any moment, even with a failing handler', async () => {
    for (const wait of [0, 10, 60]) {
      await publish();
      const consumer = runner.run(consumerDef(), [
        onEvent(identityEvents.profileUpdated, () => Promise.reject(new Error('always'))),
      ]);
      await new Promise((r) => setTimeout(r, wait));
      const started = Date.now();
      await consumer.stop();
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });

  it('refuses events proto does not declare, events the consumer cannot receive, and doubles', () => {
    const unknown = event('identity', 'nothing', 'happened', z.strictObject({}));
    const noop = () => Promise.resolve();
    expect(() => runner.run(consumerDef(), [onEvent(unknown, noop)])).toThrow(
      'no event identity.nothing.happened in proto',
    );
    expect(() => runner.run(consumerDef(), [onEvent(identityEvents.memberDeleted, noop)])).toThrow(
      /does not receive agora\.identity\.evt\.member\.deleted/,
    );
    expect(() =>
      runner.run(consumerDef(), [
        onEvent(identityEvents.profileUpdated, noop),
        onEvent(identityEvents.profileUpdated, noop),
      ]),
    ).toThrow(/two handlers for identity\.profile\.updated/);
  });

  it('dead-letters, at the first delivery, data that breaks its event contract', async () => {
    let calls = 0;
    // A valid envelope whose data does not match identity.profile.updated (fields must not be empty).
    const bad = {
      id: crypto.randomUUID(),
      type,
      occurredAt: new Date().toISOString(),
      actor: null,
      subject: memberId,
      data: { memberId, fields: [] },
      v: 1,
    };
    await nats.js.publish(identityEvents.profileUpdated.subject, JSON.stringify(bad));
    const def = consumerDef({ maxDeliver: 5 });
    running.push(
      runner.run(def, [
        onEvent(identityEvents.profileUpdated, () => Promise.resolve(void (calls += 1))),
      ]),
    );
    await expect.poll(() => deadLetter(def.durable), { timeout: 5_000 }).toBeDefined();
    const dl = (await deadLetter(def.durable))!;
    expect(dl.header.get(DEAD_LETTER_HEADERS.reason)).toBe(
      'invalid identity.profile.updated data: fields: Too small: expected array to have >=1 items',
    );
    expect(dl.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(0);
    expect((await nats.jsm.consumers.info(def.stream, def.durable)).num_ack_pending).toBe(0);
  });

  it('dead-letters an event the consumer receives but has no handler for', async () => {
    await publisher.publish(identityEvents.memberDeleted, {
      actor: memberId,
      subject: memberId,
      data: { memberId },
    });
    const def = consumerDef({ filterSubjects: ['agora.identity.evt.>'] });
    running.push(
      runner.run(def, [onEvent(identityEvents.profileUpdated, () => Promise.resolve())]),
    );
    await expect.poll(() => deadLetter(def.durable), { timeout: 5_000 }).toBeDefined();
    expect((await deadLetter(def.durable))!.header.get(DEAD_LETTER_HEADERS.reason)).toBe(
      `no handler for identity.member.deleted in ${def.durable}`,
    );
  });

  describe('batch mode', () => {
    it('hands the events that arrived together to one call, each once, and acks them after', async () => {
      const published = await Promise.all(Array.from({ length: 20 }, () => publish()));
      const def = consumerDef({ concurrency: 8 });
      const batches: string[][] = [];
      let acksBeforeReturn = -1;
      running.push(
        runner.runBatch(def, [identityEvents.profileUpdated], async (events) => {
          batches.push(events.map((e) => e.event.id));
          if (batches.length === 1) {
            // Nothing of a batch is acked before its handler resolves.
            const info = await nats.jsm.consumers.info(def.stream, def.durable);
            acksBeforeReturn = info.ack_floor.stream_seq;
          }
        }),
      );
      await expect.poll(() => batches.flat().length).toBe(20);
      expect(new Set(batches.flat())).toEqual(new Set(published.map((p) => p.envelope.id)));
      expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThan(1);
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(8);
      expect(acksBeforeReturn).toBe(0);
      await expect
        .poll(async () => {
          const info = await nats.jsm.consumers.info(def.stream, def.durable);
          return [info.num_ack_pending, info.num_pending];
        })
        .toEqual([0, 0]);
    });

    it('runs as many batches at once as the consumer allows, each event once', async () => {
      const published = await Promise.all(Array.from({ length: 12 }, () => publish()));
      const def = consumerDef({ concurrency: 4, batchesAtOnce: 2 });
      const handled: string[] = [];
      let active = 0;
      let most = 0;
      running.push(
        runner.runBatch(def, [identityEvents.profileUpdated], async (events) => {
          active += 1;
          most = Math.max(most, active);
          // Hold this batch until another runs beside it (or long enough to tell it never does).
          const until = Date.now() + 1_500;
          while (active < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
          handled.push(...events.map((e) => e.event.id));
          active -= 1;
        }),
      );
      await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(12);
      expect(most).toBe(2);
      expect([...handled].sort()).toEqual(published.map((p) => p.envelope.id).sort());
      await expect
        .poll(async () => (await nats.jsm.consumers.info(def.stream, def.durable)).num_ack_pending)
        .toBe(0);
    });

    it('retries a failed batch one message at a time: the bad one is dead-lettered alone', async () => {
      const good = await Promise.all(Array.from({ length: 5 }, () => publish()));
      const bad = await publish(['poison']);
      const def = consumerDef({ concurrency: 16, maxDeliver: 2 });
      const handled: string[] = [];
      running.push(
        runner.runBatch(def, [identityEvents.profileUpdated], (events) => {
          if (events.some((e) => JSON.stringify(e.event.data).includes('poison')))
            return Promise.reject(new Error('poisoned'));
          handled.push(...events.map((e) => e.event.id));
          return Promise.resolve();
        }),
      );
      await expect.poll(() => deadLetter(def.durable), { timeout: 5_000 }).toBeDefined();
      const dl = (await deadLetter(def.durable))!;
      expect(dl.json<Envelope>().id).toBe(bad.envelope.id);
      expect(dl.header.get(DEAD_LETTER_HEADERS.reason)).toBe('handler failed 2 times: poisoned');
      expect([...new Set(handled)].sort()).toEqual(good.map((p) => p.envelope.id).sort());
      await expect
        .poll(async () => (await nats.jsm.consumers.info(def.stream, def.durable)).num_ack_pending)
        .toBe(0);
    });

    it('dead-letters an invalid envelope of a batch without handing it over', async () => {
      const valid = await publish();
      await nats.js.publish(identityEvents.profileUpdated.subject, 'not json at all');
      const def = consumerDef({ concurrency: 8 });
      const handled: string[] = [];
      running.push(
        runner.runBatch(def, [identityEvents.profileUpdated], (events) =>
          Promise.resolve(void handled.push(...events.map((e) => e.event.id))),
        ),
      );
      await expect.poll(() => deadLetter(def.durable), { timeout: 5_000 }).toBeDefined();
      expect((await deadLetter(def.durable))!.header.get(DEAD_LETTER_HEADERS.reason)).toBe(
        'payload is not JSON',
      );
      await expect.poll(() => handled).toEqual([valid.envelope.id]);
    });

    it('waits for the batch in flight when stopped, and hands back what it queued', async () => {
      const def = consumerDef({ ackWaitMs: 60_000, concurrency: 2 });
      const published = await Promise.all(Array.from({ length: 6 }, () => publish()));
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const firstSeen: string[] = [];
      let finished = false;
      const first = runner.runBatch(def, [identityEvents.profileUpdated], async (events) => {
        firstSeen.push(...events.map((e) => e.event.id));
        await gate;
        finished = true;
      });
      await expect.poll(() => firstSeen.length).toBeGreaterThan(0);
      await expect
        .poll(async () => {
          const info = await nats.jsm.consumers.info(def.stream, def.durable);
          return info.num_waiting === 0 && info.num_ack_pending > firstSeen.length;
        })
        .toBe(true);
      const stopping = first.stop();
      release();
      await stopping;
      expect(finished).toBe(true);
      const secondSeen: string[] = [];
      running.push(
        runner.runBatch(def, [identityEvents.profileUpdated], (events) =>
          Promise.resolve(void secondSeen.push(...events.map((e) => e.event.id))),
        ),
      );
      const rest = published.map((p) => p.envelope.id).filter((id) => !firstSeen.includes(id));
      await expect.poll(() => [...secondSeen].sort(), { timeout: 5_000 }).toEqual(rest.sort());
    }, 15_000);
  });
});
