import { describe, expect, it } from 'vitest';
import { subjectMatches } from './subjects.js';
import {
  allEvents,
  allLiveRoutes,
  allRoutes,
  allRpcs,
  envelopeSchema,
  event,
  identityRpc,
  rpc,
  streams,
} from './index.js';
import { z } from 'zod';

describe('contract registry', () => {
  it('gives every RPC a unique agora.<context>.<verb> subject', () => {
    const subjects = allRpcs.map((r) => r.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const s of subjects) expect(s).toMatch(/^agora\.[a-z]+\.[a-z0-9.-]+$/);
  });

  it('gives every event a unique type and a subject inside its stream', () => {
    const types = allEvents.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
    for (const e of allEvents) {
      expect(e.subject).toBe(`agora.${e.context}.evt.${e.type.split('.').slice(1).join('.')}`);
      const stream = Object.values(streams).find((s) => s.name === e.stream);
      expect(stream, e.type).toBeDefined();
      expect(
        stream?.subjects.some((p) => subjectMatches(p, e.subject)),
        `${e.subject} in ${e.stream}`,
      ).toBe(true);
    }
  });

  it('keeps every RPC subject out of every stream (a request there would be stored)', () => {
    for (const r of allRpcs)
      for (const s of Object.values(streams))
        expect(
          s.subjects.some((p) => subjectMatches(p, r.subject)),
          `${r.subject} in ${s.name}`,
        ).toBe(false);
  });

  it('gives no two streams an overlapping subject', () => {
    const all = Object.values(streams);
    const names = all.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const samples = [
      ...allEvents.map((e) => e.subject),
      'agora.collab.doc.proposal.x',
      'agora.deadletter.x',
    ];
    for (const subject of samples) {
      const holders = all.filter((s) => s.subjects.some((p) => subjectMatches(p, subject)));
      expect(
        holders.map((h) => h.name),
        subject,
      ).toHaveLength(1);
    }
  });

  it('relays only registered events, each declared once', () => {
    const types = allLiveRoutes.map((r) => r.event.type);
    expect(new Set(types).size).toBe(types.length);
    for (const route of allLiveRoutes) expect(allEvents).toContain(route.event);
  });

  it('gives every REST route a unique method and path', () => {
    const keys = allRoutes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses subject segments that could break wildcards', () => {
    expect(() => rpc('identity', 'me.*', z.object({}), z.object({}))).toThrow(
      /invalid subject segment/,
    );
    expect(() => event('identity', 'member', 'reg>istered', z.object({}))).toThrow(
      /invalid subject segment/,
    );
  });
});

describe('payload schemas', () => {
  it('rejects unknown fields and $-prefixed keys in requests', () => {
    const r = identityRpc.meUpdate.request.safeParse({ patch: { bio: 'x', $where: '1' } });
    expect(r.success).toBe(false);
  });

  it('rejects an empty profile patch', () => {
    expect(identityRpc.meUpdate.request.safeParse({ patch: {} }).success).toBe(false);
  });

  it('rejects an unknown time zone', () => {
    const r = identityRpc.login.request.safeParse({
      email: 'a@b.co',
      password: 'x',
      timeZone: 'Mars/Olympus',
      client: { ip: '1', userAgent: '' },
    });
    expect(r.success).toBe(false);
  });

  it('validates the envelope', () => {
    const good = {
      id: crypto.randomUUID(),
      type: 'identity.member.registered',
      occurredAt: new Date().toISOString(),
      actor: null,
      subject: 'x',
      data: {},
      v: 1,
    };
    expect(envelopeSchema.safeParse(good).success).toBe(true);
    expect(envelopeSchema.safeParse({ ...good, id: 'nope' }).success).toBe(false);
    expect(envelopeSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
  });
});
