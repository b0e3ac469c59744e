import { describe, expect, it } from 'vitest';
import { readCookie } from './refresh-cookie.js';

describe('readCookie', () => {
  it('finds one cookie among others and decodes it', () => {
    expect(readCookie('a=1; agora_refresh=abc%2Fdef; b=2', 'agora_refresh')).toBe('abc/def');
    expect(readCookie('agora_refresh="quoted"', 'agora_refresh')).toBe('quoted');
  });

  it('answers undefined when absent or undecodable, and never matches a prefix', () => {
    expect(readCookie(undefined, 'agora_refresh')).toBeUndefined();
    expect(readCookie('x_agora_refresh=1; agora_refresh_old=2', 'agora_refresh')).toBeUndefined();
    expect(readCookie('agora_refresh=%E0%A4%A', 'agora_refresh')).toBeUndefined();
  });
});
