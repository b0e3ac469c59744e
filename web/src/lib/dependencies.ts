/**
 * What a load can `depends()` on, so the code that changes it can `invalidate()` exactly the
 * pages that show it.
 */
export const dependencies = {
  /** The signed-in member (role, profile): changed by this tab or, via `me.updated`, elsewhere. */
  member: 'agora:member',
  /** The invitations the member sent. */
  invitations: 'agora:invitations',
} as const;
