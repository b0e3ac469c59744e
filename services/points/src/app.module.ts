import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Clock, type Logger } from '@agora/platform';
import { AdminHandler } from './admin/admin.handler.js';
import { AdminService } from './admin/admin.service.js';
import { BalanceMovesRepository } from './balances/balance-moves.repository.js';
import { BalanceRepository } from './balances/balance.repository.js';
import { POINTS_CONFIG, type PointsConfig } from './common/points-config.js';
import { SourceEventsConsumer } from './consumers/source-events.consumer.js';
import { LeaderboardHandler } from './leaderboard/leaderboard.handler.js';
import { HistogramRepository } from './leaderboard/histogram.repository.js';
import { LeaderboardRepository } from './leaderboard/leaderboard.repository.js';
import { LeaderboardService } from './leaderboard/leaderboard.service.js';
import { ApplyIntentsRepository } from './ledger/apply-intents.repository.js';
import { AwardStateRepository } from './ledger/award-state.repository.js';
import { AwardService } from './ledger/award.service.js';
import { EntryWriter } from './ledger/entry-writer.service.js';
import { HistoryHandler } from './ledger/history.handler.js';
import { HistoryService } from './ledger/history.service.js';
import { LedgerRepository } from './ledger/ledger.repository.js';
import { RulesHandler } from './rules/rules.handler.js';
import { RulesRepository } from './rules/rules.repository.js';
import { RulesService } from './rules/rules.service.js';
import { ChargeHandler } from './spending/charge.handler.js';
import { ChargeService } from './spending/charge.service.js';

export interface PointsModuleOptions {
  config: PointsConfig;
  logger?: Logger;
  /** Tests replace the clock to move through days and months. */
  clock?: Clock;
}

@Module({})
export class PointsModule {
  static forRoot(options: PointsModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: PointsModule,
      imports: [
        PlatformModule.forRoot({
          service: 'points',
          config,
          mongo: true,
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      ],
      controllers: [HistoryHandler, LeaderboardHandler, RulesHandler, ChargeHandler, AdminHandler],
      providers: [
        { provide: POINTS_CONFIG, useValue: config },
        // repositories: all I/O
        RulesRepository,
        LedgerRepository,
        ApplyIntentsRepository,
        HistogramRepository,
        BalanceMovesRepository,
        BalanceRepository,
        AwardStateRepository,
        LeaderboardRepository,
        // services: logic
        RulesService,
        EntryWriter,
        AwardService,
        HistoryService,
        LeaderboardService,
        ChargeService,
        AdminService,
        // consumers
        SourceEventsConsumer,
      ],
    };
  }
}
