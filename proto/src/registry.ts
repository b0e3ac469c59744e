import type { EventDef } from './events.js';
import type { RpcDef } from './rpc.js';
import { identityEvents } from './identity/events.js';
import { identityRpc } from './identity/rpc.js';
import { identityRoutes } from './rest/identity.js';
import type { RouteDef } from './rest/route.js';

/** Every RPC, event and REST route, for tooling: the contract test, the OpenAPI generator. */
export const allRpcs: readonly RpcDef[] = [...Object.values(identityRpc)];
export const allEvents: readonly EventDef[] = [...Object.values(identityEvents)];
export const allRoutes: readonly RouteDef[] = [...Object.values(identityRoutes)];
