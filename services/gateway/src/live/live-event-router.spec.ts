import { randomUUID } from 'node:crypto';
import { identityEvents, type EventDef } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { routeLiveEvent } from './live-event-router.js';

const member = 'a'.repeat(24);
function envelope(def: EventDef, data: unknown): string {
  return JSON.stringify({
    id: randomUUID(),
    type: def.type,
    occurredAt: new Date().toISOString(),
    actor: member,
    subject: member,
    data,
    v: def.v,
  });
}
const e = identityEvents;

describe('routeLiveEvent', () => {
  it('turns profile, avatar and cover changes into me.updated for the member', () => {
    expect(
      routeLiveEvent(envelope(e.profileUpdated, { memberId: member, fields: ['bio'] })),
    ).toEqual([{ kind: 'me.updated', memberId: member, fields: ['bio'] }]);
    expect(
      routeLiveEvent(envelope(e.avatarChanged, { memberId: member, avatarUrl: '/api/media/x' })),
    ).toEqual([{ kind: 'me.updated', memberId: member, fields: ['avatarUrl'] }]);
    expect(
      routeLiveEvent(envelope(e.coverChanged, { memberId: member, coverUrl: '/api/media/y' }))[0],
    ).toMatchObject({
      fields: ['coverUrl'],
    });
  });

  it('ends the sessions of a member whose role changed or who was deleted', () => {
    const role = routeLiveEvent(
      envelope(e.roleChanged, { memberId: member, role: 'admin', previous: 'member' }),
    );
    expect(role.map((a) => a.kind)).toEqual(['me.updated', 'end-sessions']);
    expect(routeLiveEvent(envelope(e.memberDeleted, { memberId: member }))).toEqual([
      { kind: 'end-sessions', memberId: member, reason: 'account deleted' },
    ]);
  });

  it('ignores other events, invalid envelopes, invalid data and garbage', () => {
    expect(
      routeLiveEvent(envelope(e.invitationSent, { invitationId: 'i1', inviterId: member })),
    ).toEqual([]);
    expect(routeLiveEvent(envelope(e.profileUpdated, { memberId: 'bad', fields: [] }))).toEqual([]);
    expect(routeLiveEvent(JSON.stringify({ type: 'identity.profile.updated' }))).toEqual([]);
    expect(routeLiveEvent('not json')).toEqual([]);
  });
});
