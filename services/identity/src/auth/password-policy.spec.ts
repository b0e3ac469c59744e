import { describe, expect, it } from 'vitest';
import { checkPassword, passwordProblemMessage } from './password-policy.js';

describe('checkPassword (NIST SP 800-63B)', () => {
  it('accepts long passphrases without any composition rule', () => {
    expect(checkPassword('correct horse battery staple')).toBeNull();
    expect(checkPassword('olive trees by the harbour')).toBeNull();
    // all lower-case, no digits, no symbols: still fine when long and uncommon
    expect(checkPassword('mediterraneanpilots')).toBeNull();
  });

  it('refuses fewer than 12 characters, counting code points', () => {
    expect(checkPassword('short pass1')).toBe('too-short');
    // 11 emoji are 22 UTF-16 units but only 11 characters
    expect(checkPassword('🌊'.repeat(11))).toBe('too-short');
    expect(checkPassword('ωμέγα-δέλτα-ζ')).toBeNull();
  });

  it('refuses passwords from the common-password list, whatever the case', () => {
    expect(checkPassword('1q2w3e4r5t6y')).toBe('common');
    expect(checkPassword('123qweasdzxc')).toBe('common');
    expect(checkPassword('QWERTY123456')).toBe('common');
  });

  it('refuses a common password decorated with digits or symbols', () => {
    expect(checkPassword('sunshine2024!')).toBe('common');
    expect(checkPassword('2024!football')).toBe('common');
  });

  it('refuses repeated characters and repeated short patterns', () => {
    expect(checkPassword('aaaaaaaaaaaaaa')).toBe('repetitive');
    expect(checkPassword('abababababab')).toBe('repetitive');
    expect(checkPassword('xyz1xyz1xyz1xyz1')).toBe('repetitive');
  });

  it('refuses sequences', () => {
    expect(checkPassword('abcdefghijklmn')).toBe('sequential');
    expect(checkPassword('98765432109876')).toBe('sequential');
  });

  it('refuses passwords made of the email, the name or the site name', () => {
    const ctx = { email: 'leila.haddad@example.org', displayName: 'Leila Haddad' };
    expect(checkPassword('leila.haddad2024', ctx)).toBe('context');
    expect(checkPassword('leila.haddad@example.org', ctx)).toBe('context');
    expect(checkPassword('Leila.Haddad@Example.org', ctx)).toBe('context');
    expect(checkPassword('agoraagora123', ctx)).toBe('context');
    expect(checkPassword('HaddadLeila!!', ctx)).toBe('context');
    // a context word inside an otherwise strong passphrase is fine
    expect(checkPassword('leila walks along quiet olive groves', ctx)).toBeNull();
  });

  it('has a readable message for every problem', () => {
    expect(passwordProblemMessage('common')).toMatch(/common/);
    expect(passwordProblemMessage('too-short')).toMatch(/12/);
  });
});
