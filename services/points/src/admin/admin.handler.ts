import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { pointsRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { AdminService } from './admin.service.js';

/** Admins' tools (the role is checked in AdminService). */
@Controller()
export class AdminHandler {
  constructor(private readonly admin: AdminService) {}

  @Rpc(pointsRpc.adjustmentCreate)
  adjust(
    req: RpcPayload<typeof pointsRpc.adjustmentCreate>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.adjustmentCreate>> {
    return this.admin.adjust(actor, req);
  }

  @Rpc(pointsRpc.reversalCreate)
  reverse(
    req: RpcPayload<typeof pointsRpc.reversalCreate>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.reversalCreate>> {
    return this.admin.reverse(actor, req);
  }

  @Rpc(pointsRpc.burstsList)
  bursts(
    req: RpcPayload<typeof pointsRpc.burstsList>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.burstsList>> {
    return this.admin.bursts(actor, req);
  }

  @Rpc(pointsRpc.rebuild)
  rebuild(
    _req: RpcPayload<typeof pointsRpc.rebuild>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.rebuild>> {
    return this.admin.rebuild(actor);
  }
}
