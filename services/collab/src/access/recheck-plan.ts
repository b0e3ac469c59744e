import { accountEvents, identityEvents, spacesEvents } from '@agora/proto';

/** Which connections an event concerns, and what to do with them. */
export type RecheckPlan =
  | { kind: 'member'; memberId: string }
  | { kind: 'space'; spaceId: string }
  /** Every connection of the member closed with 4403 and `reason`, without asking spaces. */
  | { kind: 'close-member'; memberId: string; reason: string }
  /** The member's connections opened with a token of these sign-ins closed with 4401. */
  | { kind: 'close-sessions'; memberId: string; sessionIds: readonly string[] };

/** The events collab follows (`serviceRoles.collab.listens`), each with the connections it touches. */
export const recheckEvents = [
  {
    def: spacesEvents.membershipAdded,
    plan: (d: { memberId: string }): RecheckPlan => ({ kind: 'member', memberId: d.memberId }),
  },
  {
    def: spacesEvents.membershipRoleChanged,
    plan: (d: { memberId: string }): RecheckPlan => ({ kind: 'member', memberId: d.memberId }),
  },
  // A member's rights elsewhere can hang on a space (a call's owner reads its proposals): every
  // connection of the member is asked again, not only those to this space's doc.
  {
    def: spacesEvents.membershipRemoved,
    plan: (d: { memberId: string }): RecheckPlan => ({ kind: 'member', memberId: d.memberId }),
  },
  // A doc's id is its space's id.
  {
    def: spacesEvents.docAccessChanged,
    plan: (d: { spaceId: string }): RecheckPlan => ({ kind: 'space', spaceId: d.spaceId }),
  },
  {
    def: identityEvents.roleChanged,
    plan: (d: { memberId: string }): RecheckPlan => ({ kind: 'member', memberId: d.memberId }),
  },
  {
    def: identityEvents.memberDeleted,
    plan: (d: { memberId: string }): RecheckPlan => ({
      kind: 'close-member',
      memberId: d.memberId,
      reason: 'account deleted',
    }),
  },
  // A suspended member's editors close at once, like a deleted one's (their token is refused at
  // the gateway and their refresh at identity, so they cannot come back until reinstated).
  {
    def: accountEvents.memberSuspended,
    plan: (d: { memberId: string }): RecheckPlan => ({
      kind: 'close-member',
      memberId: d.memberId,
      reason: 'account suspended',
    }),
  },
] as const;
