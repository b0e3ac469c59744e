import { describe, expect, it } from 'vitest';
import { safeLinkHref } from './link-href.js';

describe('safeLinkHref', () => {
  it('keeps http(s) and mailto links', () => {
    expect(safeLinkHref('https://medtown.eu/calls')).toBe('https://medtown.eu/calls');
    expect(safeLinkHref('http://example.org')).toBe('http://example.org/');
    expect(safeLinkHref('mailto:lead@example.org')).toBe('mailto:lead@example.org');
  });
  it('gives a bare domain https', () => {
    expect(safeLinkHref(' medrisse.eu/pilots ')).toBe('https://medrisse.eu/pilots');
  });
  it('refuses scripts, other schemes and junk', () => {
    expect(safeLinkHref('javascript:alert(1)')).toBeNull();
    expect(safeLinkHref('data:text/html,hi')).toBeNull();
    expect(safeLinkHref('ftp://example.org')).toBeNull();
    expect(safeLinkHref('not a link')).toBeNull();
    expect(safeLinkHref('word')).toBeNull();
    expect(safeLinkHref('mailto:nobody')).toBeNull();
    expect(safeLinkHref('')).toBeNull();
  });
});
