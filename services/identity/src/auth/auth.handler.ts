import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { identityRpc } from '@agora/proto';
import { ZodPayloadPipe } from '@agora/platform';
import type { IdentityRequest as Req, IdentityResponse as Res } from '../common/rpc-types.js';
import { AuthService } from './auth.service.js';

@Controller()
export class AuthHandler {
  constructor(private readonly auth: AuthService) {}

  @MessagePattern(identityRpc.register.subject)
  register(
    @Payload(new ZodPayloadPipe(identityRpc.register.request)) req: Req<'register'>,
  ): Promise<Res<'register'>> {
    return this.auth.register(req);
  }

  @MessagePattern(identityRpc.login.subject)
  login(
    @Payload(new ZodPayloadPipe(identityRpc.login.request)) req: Req<'login'>,
  ): Promise<Res<'login'>> {
    return this.auth.login(req);
  }

  @MessagePattern(identityRpc.refresh.subject)
  refresh(
    @Payload(new ZodPayloadPipe(identityRpc.refresh.request)) req: Req<'refresh'>,
  ): Promise<Res<'refresh'>> {
    return this.auth.refresh(req);
  }

  @MessagePattern(identityRpc.logout.subject)
  logout(
    @Payload(new ZodPayloadPipe(identityRpc.logout.request)) req: Req<'logout'>,
  ): Promise<Res<'logout'>> {
    return this.auth.logout(req);
  }
}
