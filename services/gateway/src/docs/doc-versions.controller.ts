import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { collabRoutes, collabRpc, type DocVersion, type RpcResponse } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = collabRoutes;

/**
 * Version history of a co-edited document: each route is one member call to collab, which asks
 * spaces for the member's right on the doc (the gateway decides nothing).
 */
@Controller()
export class DocVersionsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.versionList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.versionList>,
  ): Promise<RpcResponse<typeof collabRpc.versionList>> {
    return this.rpc.call(
      collabRpc.versionList,
      { docName: input.params.docName },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.versionSave)
  save(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.versionSave>,
  ): Promise<DocVersion> {
    return this.rpc.call(
      collabRpc.versionSave,
      { docName: input.params.docName, name: input.body.name },
      { actorToken: me.token, timeoutMs: 15_000 },
    );
  }

  @ApiRoute(r.versionGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.versionGet>,
  ): Promise<RpcResponse<typeof collabRpc.versionGet>> {
    return this.rpc.call(collabRpc.versionGet, input.params, {
      actorToken: me.token,
      timeoutMs: 15_000,
    });
  }

  @ApiRoute(r.versionDiff)
  diff(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.versionDiff>,
  ): Promise<RpcResponse<typeof collabRpc.versionDiff>> {
    return this.rpc.call(
      collabRpc.versionDiff,
      { ...input.params, to: input.query.to },
      { actorToken: me.token, timeoutMs: 15_000 },
    );
  }

  @ApiRoute(r.versionRestore)
  restore(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.versionRestore>,
  ): Promise<DocVersion> {
    return this.rpc.call(collabRpc.versionRestore, input.params, {
      actorToken: me.token,
      timeoutMs: 15_000,
    });
  }
}
