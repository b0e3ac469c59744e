import { describe, expect, it } from 'vitest';
import { RpcFailure } from '@agora/platform';
import { identityHarness, registration } from '../testing/harness.js';

const img = (c: string) => `/api/media/${c.repeat(64)}`;

describe('ProfileService', () => {
  it('names the fields that really changed in profile.updated, and writes nothing when none did', async () => {
    const { sut, fakes } = identityHarness();
    const { user } = await sut.auth.register(registration({ displayName: 'Leila Haddad' }));
    const updated = await sut.profiles.update(user.id, {
      displayName: 'Leila Haddad', // unchanged
      bio: 'Urban gardens',
      languages: ['ar', 'fr', 'ar'],
    });
    expect(updated.bio).toBe('Urban gardens');
    expect(updated.languages).toEqual(['ar', 'fr']);
    expect(fakes.events.ofType('identity.profile.updated').map((e) => e.data)).toEqual([
      { memberId: user.id, fields: ['bio', 'languages'] },
    ]);
    const before = fakes.members.docs.get(user.id)?.rev;
    await sut.profiles.update(user.id, { bio: 'Urban gardens', languages: ['ar', 'fr'] });
    expect(fakes.members.docs.get(user.id)?.rev).toBe(before);
    expect(fakes.events.ofType('identity.profile.updated')).toHaveLength(1);
  });

  it('shows completeness to the member and emits profile.completed once, ever', async () => {
    const { sut, fakes } = identityHarness();
    const { user } = await sut.auth.register(registration());
    expect(user.completeness).toMatchObject({ complete: false, percent: 22 });
    // images are set through MediaService; here directly through the shared update path
    await sut.updates.apply(user.id, () => ({
      changes: { avatarUrl: img('a'), coverUrl: img('b') },
      events: [],
    }));
    const done = await sut.profiles.update(user.id, {
      bio: 'b',
      organisation: 'o',
      sector: 'academia-research',
      languages: ['el'],
      expertise: ['technology'],
    });
    expect(done.completeness).toEqual({ percent: 100, complete: true, missing: [] });
    expect(fakes.events.ofType('identity.profile.completed')).toHaveLength(1);
    // emptied and completed again: no second award
    await sut.profiles.update(user.id, { bio: '' });
    expect((await sut.profiles.me(user.id)).completeness.missing).toEqual(['bio']);
    await sut.profiles.update(user.id, { bio: 'back' });
    expect(fakes.events.ofType('identity.profile.completed')).toHaveLength(1);
    // the completing update and its event were one write (same document, same revision)
    const completed = fakes.events.entries.find(
      (e) => e.event.def.type === 'identity.profile.completed',
    );
    expect(completed?.doc).toBe(user.id);
  });

  it('retries when another write got in between, deciding again from the fresh state', async () => {
    const { sut, fakes } = identityHarness();
    const { user } = await sut.auth.register(registration());
    const realUpdate = fakes.members.update.bind(fakes.members);
    let calls = 0;
    fakes.members.update = async (id, rev, changes, events, at) => {
      calls += 1;
      // the first time, someone else writes just before us: our conditional write must miss
      if (calls === 1) await realUpdate(id, rev, { organisation: 'someone else' }, [], at);
      return realUpdate(id, rev, changes, events, at);
    };
    const updated = await sut.profiles.update(user.id, { bio: 'mine' });
    expect(updated).toMatchObject({ bio: 'mine', organisation: 'someone else' });
    expect(calls).toBe(2);
    expect(fakes.events.ofType('identity.profile.updated')).toHaveLength(1);
  });

  it('shows other members their public profile only, and hides deleted accounts', async () => {
    const { sut } = identityHarness();
    const a = await sut.auth.register(registration());
    const b = await sut.auth.register(registration());
    const seen = await sut.profiles.member(a.user.id, b.user.id);
    expect(seen).not.toHaveProperty('email');
    expect(seen.displayName).toBe(b.user.displayName);
    await sut.privacy.delete(b.user.id, 'olive trees by the harbour');
    await expect(sut.profiles.member(a.user.id, b.user.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(sut.profiles.me(b.user.id)).rejects.toBeInstanceOf(RpcFailure);
  });
});
