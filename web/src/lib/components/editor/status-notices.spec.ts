import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import SyncStatus from './SyncStatus.svelte';
import ClosedNotice from './ClosedNotice.svelte';
import PresenceAvatars from './PresenceAvatars.svelte';

const text = (html: string) =>
  html
    .replace(/<!--[^>]*-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('SyncStatus', () => {
  it('says saved, syncing, or offline with the number of changes waiting', () => {
    const said = (status: 'saved' | 'syncing' | 'offline', pending: number) =>
      text(render(SyncStatus, { props: { status, pending } }).body);
    expect(said('saved', 0)).toBe('Saved');
    expect(said('syncing', 3)).toBe('Syncing…');
    expect(said('offline', 0)).toBe('Offline');
    expect(said('offline', 1)).toBe('Offline — 1 change waiting');
    expect(said('offline', 7)).toBe('Offline — 7 changes waiting');
  });

  it('exposes the state for tests and assistive tech', () => {
    const { body } = render(SyncStatus, { props: { status: 'offline', pending: 2 } });
    expect(body).toContain('data-testid="editor-status"');
    expect(body).toContain('data-status="offline"');
    expect(body).toContain('data-pending="2"');
    expect(body).toContain('aria-live="polite"');
  });
});

describe('ClosedNotice', () => {
  it('explains each refusal and says nothing while connected', () => {
    expect(text(render(ClosedNotice, { props: { reason: null } }).body)).toBe('');
    const forbidden = render(ClosedNotice, { props: { reason: 'forbidden' } }).body;
    expect(forbidden).toContain('role="alert"');
    expect(text(forbidden)).toBe('You no longer have access to this document.');
    for (const reason of ['unauthenticated', 'too-large', 'rate-limited', 'bad-request'] as const) {
      expect(text(render(ClosedNotice, { props: { reason } }).body).length).toBeGreaterThan(10);
    }
  });
});

describe('PresenceAvatars', () => {
  it('shows initials in each member colour, the member first, and folds the rest', () => {
    const peers = [
      { id: 'a', name: 'Amal Haddad', color: '#c2410c', self: true },
      ...[
        'Nikos Pappas',
        'Sofia Reis',
        'Yasmine Ben Ali',
        'Omar Khalil',
        'Lucía Gómez',
        'Eleni Kosta',
      ].map((name, i) => ({ id: `p${i}`, name, color: '#0369a1', self: false })),
    ];
    const { body } = render(PresenceAvatars, { props: { peers, max: 5 } });
    expect(body.match(/data-testid="presence-avatar"/g)).toHaveLength(5);
    expect(body).toContain('Amal Haddad (you)');
    expect(body).toContain('background-color: #c2410c');
    expect(text(body)).toContain('AH');
    expect(text(body)).toContain('+2');
    expect(body).toContain('Lucía Gómez, Eleni Kosta');
  });
});
