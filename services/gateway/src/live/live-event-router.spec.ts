import { randomUUID } from 'node:crypto';
import {
  allLiveRoutes,
  chatEvents,
  identityEvents,
  spacesEvents,
  type EventDef,
} from '@agora/proto';
import { RecentIds } from '@agora/platform';
import { describe, expect, it } from 'vitest';
import { routeLiveEvent } from './live-event-router.js';

const member = 'a'.repeat(24);
const space = 'b'.repeat(24);
const channel = 'c'.repeat(24);

function envelope(def: EventDef, data: unknown, v = def.v): string {
  return JSON.stringify({
    id: randomUUID(),
    type: def.type,
    occurredAt: new Date().toISOString(),
    actor: member,
    subject: member,
    data,
    v,
  });
}

function routed(raw: string): { actions: unknown[]; invalid: string[] } {
  const invalid: string[] = [];
  const actions = [...routeLiveEvent(raw, (reason, type) => invalid.push(`${type}: ${reason}`))];
  return { actions, invalid };
}

describe('routeLiveEvent', () => {
  it('answers what the proto live route of the event declares', () => {
    expect(
      routed(envelope(identityEvents.profileUpdated, { memberId: member, fields: ['bio'] })),
    ).toEqual({
      actions: [
        {
          kind: 'emit',
          room: `user:${member}`,
          event: 'me.updated',
          payload: { fields: ['bio'] },
        },
      ],
      invalid: [],
    });
    expect(
      routed(envelope(spacesEvents.membershipRemoved, { spaceId: space, memberId: member }))
        .actions,
    ).toEqual([
      { kind: 'leave', room: `space:${space}`, memberId: member },
      {
        kind: 'emit',
        room: `space:${space}`,
        event: 'space.member.removed',
        payload: { spaceId: space, memberId: member },
      },
      { kind: 'emit', room: `user:${member}`, event: 'space.left', payload: { spaceId: space } },
    ]);
    expect(
      routed(envelope(chatEvents.channelMemberRemoved, { channelId: channel, memberId: member }))
        .actions[0],
    ).toEqual({ kind: 'leave', room: `channel:${channel}`, memberId: member });
  });

  it('routes every declared route, and no other event', () => {
    const routedTypes = new Set(allLiveRoutes.map((r) => r.event.type));
    expect(routedTypes.has(identityEvents.memberDeleted.type)).toBe(true);
    const unrouted = routed(
      envelope(identityEvents.invitationSent, { invitationId: 'i1', inviterId: member }),
    );
    expect(unrouted).toEqual({ actions: [], invalid: [] });
  });

  it('relays nothing for invalid data, another version, a bad envelope or garbage, and says why', () => {
    const badData = routed(envelope(identityEvents.profileUpdated, { memberId: 'x', fields: [] }));
    expect(badData).toEqual({
      actions: [],
      invalid: ['identity.profile.updated: data does not match its schema'],
    });
    const v2 = routed(envelope(identityEvents.memberDeleted, { memberId: member }, 2));
    expect(v2.actions).toEqual([]);
    expect(v2.invalid[0]).toMatch(/version 2, proto declares 1/);
    expect(routed(JSON.stringify({ type: 'identity.profile.updated' })).invalid).toEqual([
      'undefined: not an event envelope',
    ]);
    expect(routed('not json').invalid).toEqual(['undefined: not JSON']);
  });

  it('relays an envelope id once, however often it is published', () => {
    const seen = new RecentIds(100);
    const route = (raw: string) => routeLiveEvent(raw, undefined, (id) => seen.repeat(id));
    const profile = (m: string) =>
      envelope(identityEvents.profileUpdated, { memberId: m, fields: ['bio'] });
    const once = profile(member);
    expect(route(once)).toHaveLength(1);
    // The same event re-published (a relay's retry): nothing more reaches the sockets.
    expect(route(once)).toEqual([]);
    // Another event with the same data is another event.
    expect(route(profile(member))).toHaveLength(1);
  });
});
