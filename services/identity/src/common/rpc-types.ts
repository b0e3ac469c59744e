import type { identityRpc, RpcResponse } from '@agora/proto';
import type { z } from 'zod';

type Rpc = typeof identityRpc;

/** A validated request of identity RPC `K` (after proto defaults and trimming). */
export type IdentityRequest<K extends keyof Rpc> = z.output<Rpc[K]['request']>;
/** What identity RPC `K` answers. */
export type IdentityResponse<K extends keyof Rpc> = RpcResponse<Rpc[K]>;
