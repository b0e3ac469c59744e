import { Controller } from '@nestjs/common';
import { installRpc, type InstallStatus } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { FirstAdmin } from '../auth/first-admin.service.js';

/** Public: what the visitors' first page says about this install. */
@Controller()
export class InstallHandler {
  constructor(private readonly firstAdmin: FirstAdmin) {}

  @Rpc(installRpc.installStatus)
  async status(): Promise<InstallStatus> {
    return { firstAccountBecomesAdmin: await this.firstAdmin.firstAccountBecomesAdmin() };
  }
}
