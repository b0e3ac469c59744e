import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { AuthService } from './auth.service.js';

@Controller()
export class AuthHandler {
  constructor(private readonly auth: AuthService) {}

  @Rpc(identityRpc.register)
  register(req: RpcPayload<typeof identityRpc.register>) {
    return this.auth.register(req);
  }

  @Rpc(identityRpc.login)
  login(req: RpcPayload<typeof identityRpc.login>) {
    return this.auth.login(req);
  }

  @Rpc(identityRpc.refresh)
  refresh(req: RpcPayload<typeof identityRpc.refresh>) {
    return this.auth.refresh(req);
  }

  @Rpc(identityRpc.logout)
  logout(req: RpcPayload<typeof identityRpc.logout>) {
    return this.auth.logout(req);
  }
}
