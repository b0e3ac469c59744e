/** What the workshop, community and calendar pages' loads `depends()` on, to `invalidate()` them. */
export const workshopDependencies = {
  workshops: 'agora:workshops',
  workshop: (id: string) => `agora:workshop:${id}` as const,
  communities: 'agora:communities',
  community: (id: string) => `agora:community:${id}` as const,
  calendar: 'agora:calendar',
} as const;

/** Platform roles that may create workshops (DOMAIN.md: facilitators; admins do everything). */
export function canCreateWorkshops(role: string | undefined): boolean {
  return role === 'facilitator' || role === 'admin';
}
