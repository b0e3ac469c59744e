import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AccessView, PlatformModule } from '@agora/platform';
import type { Logger } from 'pino';
import { ChatSockets } from './chat/chat-sockets.service.js';
import { GATEWAY_CONFIG } from './config/gateway-config.token.js';
import type { GatewayConfig } from './config/gateway-env.schema.js';
import { ApiErrorFilter } from './http/api-error.filter.js';
import { BinaryBodyInterceptor } from './http/binary-body.interceptor.js';
import { routeControllers } from './http/route-controllers.js';
import { RouteGuard } from './http/route.guard.js';
import { RoomAccessRepository } from './live/room-access.repository.js';
import { SocketRooms } from './live/socket-rooms.service.js';
import { SocketServer } from './live/socket.server.js';
import { DocsController } from './openapi/docs.controller.js';
import { PresenceKvRepository } from './presence/presence-kv.repository.js';
import { Presence } from './presence/presence.service.js';
import { RateLimits } from './rate-limit/rate-limits.js';
import { UploadRepository } from './uploads/upload.repository.js';

/** The edge: REST controllers over the services' RPCs, the docs, and socket.io. No database. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger, limits: RateLimits): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot({ service: 'gateway', config, mongo: false, logger })],
      controllers: [...routeControllers, DocsController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: RateLimits, useValue: limits },
        { provide: APP_GUARD, useClass: RouteGuard },
        { provide: APP_INTERCEPTOR, useClass: BinaryBodyInterceptor },
        { provide: APP_FILTER, useValue: new ApiErrorFilter(logger) },
        UploadRepository,
        RoomAccessRepository,
        SocketRooms,
        ChatSockets,
        PresenceKvRepository,
        Presence,
        AccessView,
        SocketServer,
      ],
    };
  }
}
