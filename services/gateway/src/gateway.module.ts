import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PlatformModule } from '@agora/platform';
import type { Logger } from 'pino';
import { AdminController } from './admin/admin.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from './config/gateway-config.token.js';
import type { GatewayConfig } from './config/gateway-env.schema.js';
import { ApiErrorFilter } from './http/api-error.filter.js';
import { RouteGuard } from './http/route.guard.js';
import { InvitationsController } from './invitations/invitations.controller.js';
import { SocketServer } from './live/socket.server.js';
import { MeController } from './me/me.controller.js';
import { MediaController } from './media/media.controller.js';
import { MembersController } from './members/members.controller.js';
import { DocsController } from './openapi/docs.controller.js';
import { RateLimits } from './rate-limit/rate-limits.js';
import { UploadRepository } from './uploads/upload.repository.js';

/** The edge: REST controllers over identity's RPCs, the docs, and socket.io. No database. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger, limits: RateLimits): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot({ service: 'gateway', config, mongo: false, logger })],
      controllers: [
        AuthController,
        MeController,
        MembersController,
        InvitationsController,
        MediaController,
        AdminController,
        DocsController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_LOGGER, useValue: logger },
        { provide: RateLimits, useValue: limits },
        { provide: APP_GUARD, useClass: RouteGuard },
        { provide: APP_FILTER, useValue: new ApiErrorFilter(logger) },
        UploadRepository,
        SocketServer,
      ],
    };
  }
}
