import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  chatEvents,
  chatLiveRoutes,
  emitTo,
  event,
  identityLiveRoutes,
  liveRoute,
  rooms,
  spacesEvents,
  spacesLiveRoutes,
} from './index.js';

const member = 'a'.repeat(24);
const space = 'b'.repeat(24);
const channel = 'c'.repeat(24);

describe('liveRoute', () => {
  it('hands the actions the validated data, and nothing for data that does not match', () => {
    const seen: unknown[] = [];
    const def = event('testing', 'thing', 'happened', z.strictObject({ n: z.coerce.number() }));
    const route = liveRoute(def, (d) => {
      seen.push(d);
      return [emitTo(rooms.user(member), 'me.updated', { fields: [`n${d.n}`] })];
    });
    expect(route.actionsFor({ n: '7' })).toEqual([
      { kind: 'emit', room: `user:${member}`, event: 'me.updated', payload: { fields: ['n7'] } },
    ]);
    expect(seen).toEqual([{ n: 7 }]);
    expect(route.actionsFor({ n: 'x' })).toBeUndefined();
    expect(route.actionsFor({ n: 1, extra: true })).toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});

describe('declared live routes', () => {
  it('tells the member of profile, avatar and cover changes', () => {
    const r = identityLiveRoutes;
    expect(r.profileUpdated.actionsFor({ memberId: member, fields: ['bio'] })).toEqual([
      { kind: 'emit', room: `user:${member}`, event: 'me.updated', payload: { fields: ['bio'] } },
    ]);
    expect(r.avatarChanged.actionsFor({ memberId: member, avatarUrl: '/m' })?.[0]).toMatchObject({
      payload: { fields: ['avatarUrl'] },
    });
    expect(r.coverChanged.actionsFor({ memberId: member, coverUrl: '/m' })?.[0]).toMatchObject({
      payload: { fields: ['coverUrl'] },
    });
  });

  it('ends the sessions of a member whose role changed or who was deleted', () => {
    const r = identityLiveRoutes;
    const role = r.roleChanged.actionsFor({ memberId: member, role: 'admin', previous: 'member' });
    expect(role?.map((a) => a.kind)).toEqual(['emit', 'end-sessions']);
    expect(r.memberDeleted.actionsFor({ memberId: member })).toEqual([
      { kind: 'end-sessions', memberId: member, reason: 'account deleted' },
    ]);
  });

  it('drops a removed member from the space or channel room, then tells the room and them', () => {
    const removed = spacesLiveRoutes.membershipRemoved;
    expect(removed.event).toBe(spacesEvents.membershipRemoved);
    expect(removed.actionsFor({ spaceId: space, memberId: member })).toEqual([
      { kind: 'leave', room: `space:${space}`, memberId: member },
      {
        kind: 'emit',
        room: `space:${space}`,
        event: 'space.member.removed',
        payload: { spaceId: space, memberId: member },
      },
      { kind: 'emit', room: `user:${member}`, event: 'space.left', payload: { spaceId: space } },
    ]);
    const left = chatLiveRoutes.channelMemberRemoved;
    expect(left.event).toBe(chatEvents.channelMemberRemoved);
    expect(left.actionsFor({ channelId: channel, memberId: member })).toEqual([
      { kind: 'leave', room: `channel:${channel}`, memberId: member },
      {
        kind: 'emit',
        room: `channel:${channel}`,
        event: 'channel.member.removed',
        payload: { channelId: channel, memberId: member },
      },
      {
        kind: 'emit',
        room: `user:${member}`,
        event: 'channel.left',
        payload: { channelId: channel },
      },
    ]);
    expect(removed.actionsFor({ spaceId: 'nope', memberId: member })).toBeUndefined();
  });
});
