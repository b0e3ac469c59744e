import {
  Module,
  type DynamicModule,
  type INestApplication,
  type Provider,
  type Type,
} from '@nestjs/common';
import type { Server } from 'node:http';
import { PlatformModule, type Clock, type Logger } from '@agora/platform';
import { AccessWatcher } from './access/access-watcher.js';
import { DocAccess } from './access/doc-access.service.js';
import { COLLAB_CONFIG, type CollabConfig } from './common/collab-config.js';
import { DocRegistry } from './documents/doc-registry.js';
import { DocStore } from './documents/doc-store.js';
import { RelayRepository } from './relay/relay.repository.js';
import { SnapshotRepository } from './snapshots/snapshot.repository.js';
import { CollabSocketServer } from './sync/collab-socket.server.js';
import { UpdateLog } from './update-log/update-log.repository.js';

export interface CollabModuleOptions {
  config: CollabConfig;
  logger?: Logger;
  /** Tests replace the clock. */
  clock?: Clock;
}

/**
 * Handlers (`@Rpc` / `@OnEvent` classes): one list, so each feature adds its own line.
 */
export const collabHandlers: Type[] = [];

/**
 * Providers of every feature, in one list: repositories (all I/O), then the logic on top of them.
 */
export const collabProviders: Provider[] = [
  // repositories: all I/O
  UpdateLog,
  SnapshotRepository,
  RelayRepository,
  // the live path
  DocAccess,
  DocRegistry,
  DocStore,
  CollabSocketServer,
  AccessWatcher,
];

@Module({})
export class CollabModule {
  static forRoot(options: CollabModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: CollabModule,
      imports: [
        PlatformModule.forRoot({
          service: 'collab',
          config,
          mongo: true,
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      ],
      controllers: [...collabHandlers],
      providers: [{ provide: COLLAB_CONFIG, useValue: config }, ...collabProviders],
    };
  }
}

/** `bootstrapService`'s `configure`: serves `/collab` WebSockets on the service's HTTP port. */
export function attachCollabSockets(app: INestApplication): void {
  app.get(CollabSocketServer).attach(app.getHttpServer() as Server);
}
