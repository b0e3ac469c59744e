import type { RpcRequest, spacesRpc } from '@agora/proto';

/** A valid call request closing `inMs` from now (amounts in cents). */
export function callInput(
  overrides: Partial<RpcRequest<typeof spacesRpc.callCreate>> = {},
  inMs = 7 * 24 * 3_600_000,
): RpcRequest<typeof spacesRpc.callCreate> {
  return {
    title: 'Pilot projects for ecosocial co-production',
    description: 'Subgrants for pilot projects around the Mediterranean.',
    deadline: new Date(Date.now() + inMs).toISOString(),
    timeZone: 'Africa/Tunis',
    totalBudget: 29_000_000,
    maxPerProject: 2_900_000,
    currency: 'EUR',
    criteria: [
      { key: 'relevance', title: 'Relevance', weight: 2 },
      { key: 'feasibility', title: 'Feasibility', weight: 1 },
    ],
    ...overrides,
  };
}
