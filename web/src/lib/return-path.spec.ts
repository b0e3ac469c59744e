import { describe, expect, it } from 'vitest';
import { nextPathOf, returnPathOf } from './return-path.js';

const login = (next: string) =>
  new URL(`http://localhost:8080/login?next=${encodeURIComponent(next)}`);

describe('returnPathOf', () => {
  it('keeps the path and the query, not the origin', () => {
    expect(returnPathOf(new URL('http://localhost:8080/admin/mailbox?offset=20'))).toBe(
      '/admin/mailbox?offset=20',
    );
  });
});

describe('nextPathOf', () => {
  it('follows a path on this origin, with its query', () => {
    expect(nextPathOf(login('/invitations?x=1'), '/')).toBe('/invitations?x=1');
    expect(nextPathOf(login(returnPathOf(new URL('http://localhost:8080/profile'))), '/')).toBe(
      '/profile',
    );
  });

  it('falls back without a next parameter', () => {
    expect(nextPathOf(new URL('http://localhost:8080/login'), '/')).toBe('/');
    expect(nextPathOf(login(''), '/')).toBe('/');
  });

  it('never leaves the origin', () => {
    for (const next of [
      '//evil.example/steal',
      '/\\evil.example/steal',
      'https://evil.example/',
      'javascript:alert(1)',
      'profile',
    ]) {
      expect(nextPathOf(login(next), '/'), next).toBe('/');
    }
  });
});
