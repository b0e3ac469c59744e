import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { installRoutes, installRpc, type InstallStatus } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';

/** Public: what the visitors' first page says about this install. */
@Controller()
export class InstallController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(installRoutes.installStatus)
  status(): Promise<InstallStatus> {
    return this.rpc.call(installRpc.installStatus, {});
  }
}
