import {
  Module,
  type DynamicModule,
  type INestApplication,
  type Provider,
  type Type,
} from '@nestjs/common';
import type { Server } from 'node:http';
import { AccessView, PlatformModule, type Clock, type Logger } from '@agora/platform';
import { AccessWatcher } from './access/access-watcher.js';
import { DocAccess } from './access/doc-access.service.js';
import { BoardCardsHandler } from './board/board-cards.handler.js';
import { BoardCardsService } from './board/board-cards.service.js';
import { ChangeFeed } from './change-feed/change-feed.service.js';
import { DocChangeRepository } from './change-feed/doc-change.repository.js';
import { CompactionLeaseRepository } from './compactor/compaction-lease.repository.js';
import { CompactionScheduler } from './compactor/compaction-scheduler.service.js';
import { Compactor } from './compactor/compactor.service.js';
import { LogStatsRepository } from './compactor/log-stats.repository.js';
import { COLLAB_CONFIG, type CollabConfig } from './common/collab-config.js';
import { DocRegistry } from './documents/doc-registry.js';
import { DocStore } from './documents/doc-store.js';
import { OutlineHandler } from './outline/outline.handler.js';
import { OutlineService } from './outline/outline.service.js';
import { RelayRepository } from './relay/relay.repository.js';
import { DocSeedRepository } from './seed/doc-seed.repository.js';
import { SeedHandler } from './seed/seed.handler.js';
import { SeedService } from './seed/seed.service.js';
import { SnapshotRepository } from './snapshots/snapshot.repository.js';
import { CollabSocketServer } from './sync/collab-socket.server.js';
import { UpdateLog } from './update-log/update-log.repository.js';
import { VersionRepository } from './versions/version.repository.js';
import { VersionService } from './versions/version.service.js';
import { VersionsHandler } from './versions/versions.handler.js';
import { YjsWarmUp } from './warm-up/yjs-warm-up.js';

export interface CollabModuleOptions {
  config: CollabConfig;
  logger?: Logger;
  /** Tests replace the clock. */
  clock?: Clock;
}

/**
 * Handlers (`@Rpc` / `@OnEvent` classes): one list, so each feature adds its own line.
 */
export const collabHandlers: Type[] = [
  VersionsHandler,
  SeedHandler,
  OutlineHandler,
  BoardCardsHandler,
];

/**
 * Providers of every feature, in one list: repositories (all I/O), then the logic on top of them.
 */
export const collabProviders: Provider[] = [
  // before anything listens: the first cold load must not pay the JIT
  YjsWarmUp,
  // repositories: all I/O
  UpdateLog,
  SnapshotRepository,
  RelayRepository,
  DocChangeRepository,
  CompactionLeaseRepository,
  LogStatsRepository,
  VersionRepository,
  DocSeedRepository,
  // the live path
  DocAccess,
  AccessView,
  DocRegistry,
  DocStore,
  CollabSocketServer,
  AccessWatcher,
  // history: change feed, compactor, versions, seeding, outline
  ChangeFeed,
  Compactor,
  CompactionScheduler,
  VersionService,
  SeedService,
  OutlineService,
  BoardCardsService,
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
