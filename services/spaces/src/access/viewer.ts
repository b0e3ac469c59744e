import type { VerifiedActor } from '@agora/platform';
import type { Viewer } from './rights.js';

/**
 * The viewer of a member call. Admin rights come from the verified token's role (at most one
 * access-token lifetime old: spaces keeps no copy of platform roles).
 */
export function viewerOf(actor: VerifiedActor): Viewer {
  return { memberId: actor.memberId, isAdmin: actor.role === 'admin' };
}
