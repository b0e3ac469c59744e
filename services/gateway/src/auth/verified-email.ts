import type { RouteDef } from '@agora/proto';
import { ApiError } from '../http/api-error.js';

/** What a member whose address is not verified may still change: their account and read state. */
const ACCOUNT_TAGS: ReadonlySet<string> = new Set(['auth', 'me', 'notifications']);

/**
 * Whether a route takes part in the hub (posting, joining, voting, reacting, inviting, editing
 * spaces, spending points, admin changes …): every non-GET route but the account's own routes
 * (`auth`, `me`: profile, images, address, password, sessions, export, deletion), notification
 * read marks and preferences, and "read up to here" marks (`…/read`).
 */
export function takesPart(def: RouteDef): boolean {
  if (def.method === 'GET') return false;
  if (ACCOUNT_TAGS.has(def.tag)) return false;
  return !def.path.endsWith('/read');
}

/**
 * With AUTH_REQUIRE_VERIFIED_EMAIL, identity signs an unverified member's access tokens with
 * `email_verified: false`; such a token may read and manage the account, not take part.
 */
export function assertMayTakePart(def: RouteDef, claims: { email_verified?: false }): void {
  if (claims.email_verified === false && takesPart(def))
    throw new ApiError(
      'FORBIDDEN',
      'confirm your email address first: follow the link mailed to you (or send a new one from your profile)',
      { reason: 'email_unverified' },
    );
}
