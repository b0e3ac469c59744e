/** What the Market Place loads `depends()` on, so a change can `invalidate()` just those pages. */
export const marketPlaceDependencies = {
  sessions: 'agora:sessions',
  session: (id: string) => `agora:session:${id}` as const,
  ideas: 'agora:ideas',
  idea: (id: string) => `agora:idea:${id}` as const,
  feedback: (proposalId: string) => `agora:proposal-feedback:${proposalId}` as const,
} as const;
