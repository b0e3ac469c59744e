import { describe, expect, it } from 'vitest';
import { deriveScramCredentials, ScramConversation, ScramError } from './scram.js';

// RFC 7677 section 3: user "user", password "pencil".
const rfc = {
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst:
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};
const keys = deriveScramCredentials('pencil', rfc.salt, 4096);
const lookup = (user: string) => (user === 'user' ? keys : undefined);

describe('SCRAM-SHA-256', () => {
  it("reproduces RFC 7677's exchange byte for byte", () => {
    const conversation = ScramConversation.start(rfc.clientFirst, lookup, rfc.serverNonce);
    expect(conversation.serverFirst).toBe(rfc.serverFirst);
    expect(conversation.user).toBe('user');
    expect(conversation.finish(rfc.clientFinal)).toBe(rfc.serverFinal);
  });

  it('keeps no password: only salt, iteration count and the two keys', () => {
    const derived = deriveScramCredentials('correct horse battery');
    expect(Object.keys(derived).sort()).toEqual(['iterations', 'salt', 'serverKey', 'storedKey']);
    expect(derived.iterations).toBe(15_000);
    expect(derived.salt).toHaveLength(28);
    expect(deriveScramCredentials('correct horse battery').salt).not.toEqual(derived.salt);
  });

  it('refuses a wrong proof, a changed nonce or channel binding, and a truncated final message', () => {
    const wrongProof = rfc.clientFinal.replace(/p=d/, 'p=e');
    const cases = [
      wrongProof,
      rfc.clientFinal.replace('hNlF$k0', 'hNlF$k1'),
      rfc.clientFinal.replace('c=biws', 'c=eSws'),
      rfc.clientFinal.slice(0, rfc.clientFinal.indexOf(',p=')),
      `${rfc.clientFinal.slice(0, rfc.clientFinal.indexOf(',p='))},p=AAAA`,
    ];
    for (const final of cases) {
      const conversation = ScramConversation.start(rfc.clientFirst, lookup, rfc.serverNonce);
      expect(() => conversation.finish(final), final).toThrow(ScramError);
    }
  });

  it('refuses unknown users, channel binding, authorization identities and malformed first messages', () => {
    for (const first of [
      'n,,n=someone,r=abc',
      'p=tls-unique,,n=user,r=abc',
      'n,a=admin,n=user,r=abc',
      'n,,m=ext,n=user,r=abc',
      'n,,n=user',
      'n,,n=user,r=a,b',
      'n,,n=us=er,r=abc',
      'hello',
      '',
    ]) {
      expect(() => ScramConversation.start(first, lookup), first).toThrow(ScramError);
    }
  });

  it('decodes =2C and =3D in user names, as the driver escapes them', () => {
    const seen: string[] = [];
    ScramConversation.start('n,,n=a=2Cb=3Dc,r=abc', (user) => {
      seen.push(user);
      return keys;
    });
    expect(seen).toEqual(['a,b=c']);
  });

  it('accepts the "y" flag (client could bind a channel, server cannot) and checks it in c=', () => {
    const conversation = ScramConversation.start('y,,n=user,r=abc', lookup, 'xyz');
    expect(() => conversation.finish('c=biws,r=abcxyz,p=AAAA')).toThrow(/channel binding/);
  });
});
