import { createHash, randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { AccessTokenSigner } from '@agora/platform';
import type { Role } from '../members/member.types.js';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). */
const argonOptions = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** All of identity's cryptography: password hashing, random tokens, digests, signing access JWTs. */
@Injectable()
export class CredentialsRepository implements OnModuleInit {
  /** Verified against when the account does not exist, so both paths cost one argon2 verification. */
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly accessTokens: AccessTokenSigner) {}

  onModuleInit(): void {
    this.dummyHash ??= argon2.hash(randomBytes(32).toString('base64url'), argonOptions);
  }

  hashPassword(password: string): Promise<string> {
    return argon2.hash(password.normalize('NFKC'), argonOptions);
  }

  async verifyPassword(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password.normalize('NFKC'));
    } catch {
      // a malformed hash (e.g. an erased account) never matches
      return false;
    }
  }

  /** True when the hash was made with weaker (older) parameters than today's. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, argonOptions);
    } catch {
      return false;
    }
  }

  /** Spends the same work as `verifyPassword` and always fails. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= argon2.hash(randomBytes(32).toString('base64url'), argonOptions);
    await this.verifyPassword(await this.dummyHash, password);
    return false;
  }

  /** 256 random bits, URL-safe. */
  randomToken(): string {
    return randomBytes(32).toString('base64url');
  }

  sha256(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }

  /** A short-lived (≤ 15 min) access JWT carrying the member id and current role. */
  signAccess(memberId: string, role: Role, now: Date): Promise<{ token: string; expiresAt: Date }> {
    return this.accessTokens.sign({ sub: memberId, role }, now);
  }
}
