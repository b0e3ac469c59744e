import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Clock, type Logger } from '@agora/platform';
import { AccessHandler } from './access/access.handler.js';
import { AccessService } from './access/access.service.js';
import { CallCloser } from './calls/call-closer.service.js';
import { CallHandler } from './calls/call.handler.js';
import { CallService } from './calls/call.service.js';
import { SPACES_CONFIG, type SpacesConfig } from './common/spaces-config.js';
import { InvitationAcceptedHandler } from './memberships/invitation-accepted.handler.js';
import { MembershipHandler } from './memberships/membership.handler.js';
import { MembershipRepository } from './memberships/membership.repository.js';
import { MembershipService } from './memberships/membership.service.js';
import { CollabRepository } from './proposals/collab.repository.js';
import { ProposalSeederHandler } from './proposals/proposal-seeder.handler.js';
import { ProposalHandler } from './proposals/proposal.handler.js';
import { ProposalService } from './proposals/proposal.service.js';
import { ReviewHandler } from './reviews/review.handler.js';
import { ReviewRepository } from './reviews/review.repository.js';
import { ReviewService } from './reviews/review.service.js';
import { SpaceRepository } from './spaces/space.repository.js';

export interface SpacesModuleOptions {
  config: SpacesConfig;
  logger?: Logger;
  /** Tests replace the clock to move past deadlines. */
  clock?: Clock;
}

@Module({})
export class SpacesModule {
  static forRoot(options: SpacesModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: SpacesModule,
      imports: [
        PlatformModule.forRoot({
          service: 'spaces',
          config,
          mongo: true,
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      ],
      controllers: [AccessHandler, CallHandler, ProposalHandler, ReviewHandler, MembershipHandler],
      providers: [
        { provide: SPACES_CONFIG, useValue: config },
        // repositories: all I/O
        SpaceRepository,
        MembershipRepository,
        ReviewRepository,
        CollabRepository,
        // services: logic
        AccessService,
        CallService,
        ProposalService,
        ReviewService,
        MembershipService,
        CallCloser,
        // consumers
        ProposalSeederHandler,
        InvitationAcceptedHandler,
      ],
    };
  }
}
