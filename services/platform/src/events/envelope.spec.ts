import { identityEvents } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { buildEnvelope, InvalidEventError, parseEnvelope } from './envelope.js';

const memberId = 'a'.repeat(24);
const def = identityEvents.profileUpdated;

describe('buildEnvelope', () => {
  it('builds a valid envelope with a fresh id', () => {
    const env = buildEnvelope(def, {
      actor: memberId,
      subject: memberId,
      data: { memberId, fields: ['bio'] },
    });
    expect(env).toMatchObject({
      type: 'identity.profile.updated',
      actor: memberId,
      subject: memberId,
      v: 1,
    });
    expect(env.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(env.occurredAt).toString()).not.toBe('Invalid Date');
    const other = buildEnvelope(def, {
      actor: memberId,
      subject: memberId,
      data: { memberId, fields: ['bio'] },
    });
    expect(other.id).not.toBe(env.id);
  });

  it('keeps a given id and time', () => {
    const id = crypto.randomUUID();
    const env = buildEnvelope(def, {
      id,
      actor: null,
      subject: memberId,
      data: { memberId, fields: ['bio'] },
      occurredAt: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(env.id).toBe(id);
    expect(env.occurredAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('refuses data that breaks the event schema', () => {
    expect(() =>
      buildEnvelope(def, { actor: null, subject: memberId, data: { memberId, fields: [] } }),
    ).toThrow(InvalidEventError);
    expect(() =>
      buildEnvelope(def, {
        actor: null,
        subject: memberId,
        data: { memberId, fields: ['bio'], extra: 1 } as never,
      }),
    ).toThrow(/data does not match/);
  });

  it('refuses an envelope that breaks the envelope schema', () => {
    expect(() =>
      buildEnvelope(def, {
        id: 'not-a-uuid',
        actor: null,
        subject: memberId,
        data: { memberId, fields: ['bio'] },
      }),
    ).toThrow(/invalid envelope/);
    expect(() =>
      buildEnvelope(def, { actor: null, subject: '', data: { memberId, fields: ['bio'] } }),
    ).toThrow(/invalid envelope/);
  });
});

describe('parseEnvelope', () => {
  const good = buildEnvelope(def, {
    actor: null,
    subject: memberId,
    data: { memberId, fields: ['bio'] },
  });

  it('accepts a valid envelope', () => {
    expect(parseEnvelope(def, JSON.parse(JSON.stringify(good)))).toEqual({
      ok: true,
      envelope: good,
    });
  });

  it('explains what is wrong', () => {
    expect(parseEnvelope(def, { ...good, id: 'x' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid envelope: id/) as string,
    });
    expect(parseEnvelope(def, { ...good, type: 'identity.member.registered' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match/) as string,
    });
    expect(
      parseEnvelope(def, { ...good, data: { memberId: 'zz', fields: ['bio'] } }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/invalid identity.profile.updated data: memberId/) as string,
    });
    expect(parseEnvelope(def, 'text')).toMatchObject({ ok: false });
  });
});
