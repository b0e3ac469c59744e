import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buckets } from '../buckets.js';
import { chatLive } from '../chat/chat-live.js';
import { presenceBucket, presenceLive } from '../chat/presence.js';
import { event } from '../events.js';
import { identityEvents } from '../identity/events.js';
import { identityRpc } from '../identity/rpc.js';
import { live } from '../live.js';
import { allEvents, allRpcs } from '../registry.js';
import { rpc } from '../rpc.js';
import { consumers, deadLetterSubject, streams, type ConsumerDef } from '../streams.js';
import {
  busContracts,
  busPermissionsOf,
  consumerServiceOf,
  inboxPrefixOf,
  natsServerUser,
  provisioningOf,
  type BusContracts,
} from './bus-permissions.js';
import { serviceRoles } from './service-roles.js';
import { subjectMatches } from '../subjects.js';

const allows = (patterns: readonly string[], subject: string) =>
  patterns.some((p) => subjectMatches(p, subject));

/** Every process the registry implies: declared roles, contexts, consumers' services. */
const everyService = [
  ...new Set([
    ...Object.keys(serviceRoles),
    ...allRpcs.map((r) => r.context),
    ...allEvents.map((e) => e.context),
    ...Object.values(consumers).map(consumerServiceOf),
  ]),
];

describe('bus permissions derived from proto', () => {
  it('lets nobody but identity subscribe to the login request, and the caller alone get the reply', () => {
    for (const service of everyService) {
      const { subscribe } = busPermissionsOf(service);
      expect(allows(subscribe, identityRpc.login.subject), service).toBe(service === 'identity');
      // Replies go to `_INBOX_<caller>.…`: no other process may listen there.
      for (const other of everyService) {
        expect(allows(subscribe, `${inboxPrefixOf(other)}.x.y`), `${service} on ${other}`).toBe(
          service === other,
        );
      }
      expect(allows(subscribe, '_INBOX.x.y'), service).toBe(false);
    }
  });

  it('subscribes each RPC only in the service of its context, which may answer', () => {
    for (const r of allRpcs) {
      const servers = everyService.filter((s) => allows(busPermissionsOf(s).subscribe, r.subject));
      expect(servers, r.subject).toEqual([r.context]);
      expect(busPermissionsOf(r.context).allowResponses).toBe(true);
    }
    expect(busPermissionsOf('gateway').allowResponses).toBe(false);
  });

  it('lets only the context of an event publish it', () => {
    for (const e of allEvents) {
      const publishers = everyService.filter((s) => allows(busPermissionsOf(s).publish, e.subject));
      expect(publishers, e.subject).toEqual([e.context]);
    }
    expect(allows(busPermissionsOf('identity').publish, 'agora.identity.evt.made.up')).toBe(false);
  });

  it('lets the gateway call every RPC, use the uploads bucket and hear live events only', () => {
    const gateway = busPermissionsOf('gateway');
    for (const r of allRpcs) expect(allows(gateway.publish, r.subject), r.subject).toBe(true);
    expect(allows(gateway.subscribe, identityEvents.memberDeleted.subject)).toBe(true);
    expect(gateway.subscribe).toEqual(
      [
        `${inboxPrefixOf('gateway')}.>`,
        live.allEvents,
        chatLive.allChannels,
        chatLive.allTyping,
        presenceLive.changed,
        presenceLive.heartbeat,
      ].sort(),
    );
    // Chat publishes its channels' changes; only the gateway hears them, and no one else writes them.
    expect(allows(busPermissionsOf('chat').publish, chatLive.channel('a'.repeat(24)))).toBe(true);
    expect(allows(busPermissionsOf('spaces').publish, chatLive.channel('a'.repeat(24)))).toBe(
      false,
    );
    expect(allows(gateway.publish, chatLive.channel('a'.repeat(24)))).toBe(false);
    expect(allows(gateway.publish, `$KV.${presenceBucket.name}.a.b.c`)).toBe(true);
    // Listing the presence keys asks the ordered consumer's info (its pending count).
    const kvStream = `KV_${presenceBucket.name}`;
    expect(allows(gateway.publish, `$JS.API.CONSUMER.INFO.${kvStream}.oc_x_1`)).toBe(true);
    expect(allows(gateway.publish, `$JS.API.CONSUMER.CREATE.${kvStream}.oc_x_1.$KV.a.>`)).toBe(
      true,
    );
    // No process but the gateway reaches the bucket, and the gateway never deletes it.
    for (const service of everyService.filter((s) => s !== 'gateway'))
      expect(
        busPermissionsOf(service).publish.filter((p) => p.includes(presenceBucket.name)),
        service,
      ).toEqual([]);
    expect(allows(gateway.publish, `$JS.API.STREAM.DELETE.${kvStream}`)).toBe(false);
    expect(allows(gateway.publish, `$O.${buckets.uploads.name}.C.abc`)).toBe(true);
    expect(allows(gateway.publish, `$JS.API.STREAM.CREATE.OBJ_${buckets.uploads.name}`)).toBe(true);
    expect(allows(gateway.publish, `$JS.API.STREAM.CREATE.${streams.identity.name}`)).toBe(false);
    expect(allows(gateway.publish, `$JS.API.STREAM.DELETE.OBJ_${buckets.uploads.name}`)).toBe(true);
    expect(allows(gateway.publish, `$JS.API.STREAM.DELETE.${streams.identity.name}`)).toBe(false);
    const identity = busPermissionsOf('identity');
    expect(allows(identity.publish, `$JS.API.STREAM.DELETE.OBJ_${buckets.uploads.name}`)).toBe(
      false,
    );
  });

  it('lets only the edge make member calls (any other holder of a member token could replay it)', () => {
    for (const [service, roles] of Object.entries(serviceRoles)) {
      const memberCalls = roles.calls.filter((r) => r.actor === 'member').map((r) => r.subject);
      if (service === 'gateway') expect(memberCalls.length).toBeGreaterThan(0);
      else expect(memberCalls, service).toEqual([]);
    }
  });

  it('gives a consumer its durable, its acks and its dead letters, and nothing of others', () => {
    const mailer = consumers.identityMailer;
    const identity = busPermissionsOf('identity');
    for (const subject of [
      `$JS.API.CONSUMER.INFO.${mailer.stream}.${mailer.durable}`,
      `$JS.API.CONSUMER.CREATE.${mailer.stream}.${mailer.durable}.${mailer.filterSubjects[0]}`,
      `$JS.API.CONSUMER.MSG.NEXT.${mailer.stream}.${mailer.durable}`,
      `$JS.ACK.${mailer.stream}.${mailer.durable}.1.2.3.4.5`,
      deadLetterSubject(mailer.durable),
      `$JS.API.STREAM.CREATE.${streams.deadLetter.name}`,
    ])
      expect(allows(identity.publish, subject), subject).toBe(true);
    const gateway = busPermissionsOf('gateway');
    expect(allows(gateway.publish, `$JS.ACK.${mailer.stream}.${mailer.durable}.1.2.3.4.5`)).toBe(
      false,
    );
    expect(allows(gateway.publish, deadLetterSubject(mailer.durable))).toBe(false);
  });

  it('provisions in each process only what it owns', () => {
    expect(provisioningOf('identity')).toEqual({
      streams: [streams.identity, streams.deadLetter],
      consumers: [consumers.identityMailer, consumers.identityAccountMailer],
      buckets: [],
    });
    expect(provisioningOf('gateway')).toEqual({
      streams: [],
      consumers: [],
      buckets: [buckets.uploads],
    });
    expect(provisioningOf('nobody')).toEqual({ streams: [], consumers: [], buckets: [] });
    // The collab service owns its event stream AGORA_COLLAB and its update log AGORA_COLLAB_DOCS.
    expect(provisioningOf('collab').streams).toEqual([streams.collabEvents, streams.collab]);
    // Its replicas talk among themselves on core NATS; nobody else may.
    expect(busPermissionsOf('collab').publish).toContain('agora.collab.live.>');
    expect(busPermissionsOf('collab').subscribe).toContain('agora.collab.live.>');
    expect(busPermissionsOf('gateway').subscribe).not.toContain('agora.collab.live.>');
    expect(busPermissionsOf('collab').publish).toContain('agora.collab.doc.>');
    expect(busPermissionsOf('gateway').publish).not.toContain('agora.collab.doc.>');
    // Exactly one provisioner per bucket and per stream other than the shared dead-letter one.
    const provisioned = everyService.flatMap((s) => provisioningOf(s).buckets.map((b) => b.name));
    expect(provisioned.sort()).toEqual(
      Object.values(buckets)
        .map((b) => b.name)
        .sort(),
    );
    const owners = everyService.flatMap((s) =>
      provisioningOf(s)
        .streams.filter((d) => d !== streams.deadLetter)
        .map((d) => d.name),
    );
    expect(new Set(owners).size).toBe(owners.length);
  });

  it('covers a contract added to the registry without any other edit', () => {
    const added: BusContracts = {
      ...busContracts,
      rpcs: [...busContracts.rpcs, rpc('points', 'balance.get', z.object({}), z.object({}))],
      events: [
        ...busContracts.events,
        event('points', 'points', 'awarded', z.object({ memberId: z.string() })),
      ],
      streams: [
        ...busContracts.streams,
        {
          name: 'AGORA_POINTS',
          subjects: ['agora.points.evt.>'],
          duplicateWindowMs: 1,
          maxAgeMs: 0,
        },
        // Not an event stream: its owner publishes and reads on its subjects.
        {
          name: 'AGORA_BOARD',
          subjects: ['agora.board.tile.>'],
          duplicateWindowMs: 1,
          maxAgeMs: 0,
        },
      ],
      consumers: [
        ...busContracts.consumers,
        {
          stream: streams.identity.name,
          durable: 'points-registrations',
          filterSubjects: [identityEvents.memberRegistered.subject],
          maxDeliver: 3,
          ackWaitMs: 1_000,
          concurrency: 1,
        },
      ],
    };
    const points = busPermissionsOf('points', added);
    expect(allows(points.subscribe, 'agora.points.balance.get')).toBe(true);
    expect(allows(points.publish, 'agora.points.evt.points.awarded')).toBe(true);
    expect(allows(points.publish, '$JS.API.STREAM.CREATE.AGORA_POINTS')).toBe(true);
    expect(allows(points.publish, '$JS.ACK.AGORA_IDENTITY.points-registrations.1.1.1.1.1')).toBe(
      true,
    );
    expect(allows(busPermissionsOf('gateway', added).publish, 'agora.points.balance.get')).toBe(
      false,
    );
    const board = busPermissionsOf('board', added);
    expect(allows(board.publish, 'agora.board.tile.7')).toBe(true);
    expect(allows(board.subscribe, 'agora.board.tile.7')).toBe(true);
    expect(allows(points.publish, 'agora.board.tile.7')).toBe(false);
    // The real points service's consumers come first; the added one is provisioned with them.
    expect(provisioningOf('points', added).consumers.map((c) => c.durable)).toContain(
      'points-registrations',
    );
  });

  it("writes nats-server's user entry: answering only for a service that serves", () => {
    const identity = natsServerUser('identity', 'pw-1');
    expect(identity).toEqual({
      user: 'identity',
      password: 'pw-1',
      permissions: {
        publish: { allow: busPermissionsOf('identity').publish },
        subscribe: { allow: busPermissionsOf('identity').subscribe },
        allow_responses: true,
      },
    });
    expect(natsServerUser('gateway', 'pw-2').permissions).not.toHaveProperty('allow_responses');
  });

  it('refuses a consumer whose name does not say which service runs it', () => {
    const nameless: ConsumerDef = { ...consumers.identityMailer, durable: 'mailer' };
    expect(() => consumerServiceOf(nameless)).toThrow(/<service>-<purpose>/);
  });
});
