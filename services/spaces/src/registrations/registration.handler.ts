import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { workshopRpc, type RpcPayload } from '@agora/proto';
import { RegistrationService } from './registration.service.js';

@Controller()
export class RegistrationHandler {
  constructor(private readonly registrations: RegistrationService) {}

  @Rpc(workshopRpc.registrationCreate)
  register(req: RpcPayload<typeof workshopRpc.registrationCreate>, actor: VerifiedActor) {
    return this.registrations.register(actor, req.id);
  }

  @Rpc(workshopRpc.registrationCancel)
  cancel(req: RpcPayload<typeof workshopRpc.registrationCancel>, actor: VerifiedActor) {
    return this.registrations.cancel(actor, req.id);
  }

  @Rpc(workshopRpc.registrationGet)
  mine(req: RpcPayload<typeof workshopRpc.registrationGet>, actor: VerifiedActor) {
    return this.registrations.mine(actor, req.id);
  }

  @Rpc(workshopRpc.rosterGet)
  roster(req: RpcPayload<typeof workshopRpc.rosterGet>, actor: VerifiedActor) {
    return this.registrations.roster(actor, req.id);
  }
}
