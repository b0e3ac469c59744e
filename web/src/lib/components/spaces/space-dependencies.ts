/** What the spaces pages' loads `depends()` on, so a change can `invalidate()` just those pages. */
export const spaceDependencies = {
  calls: 'agora:calls',
  call: (id: string) => `agora:call:${id}` as const,
  proposals: 'agora:proposals',
  proposal: (id: string) => `agora:proposal:${id}` as const,
} as const;

/** Platform roles that may create calls (DOMAIN.md: facilitators create calls; admins do all). */
export function canCreateCalls(role: string | undefined): boolean {
  return role === 'facilitator' || role === 'admin';
}
