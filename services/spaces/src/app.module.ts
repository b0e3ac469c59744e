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
import { marketPlaceHandlers, marketPlaceProviders } from './sessions/market-place.parts.js';
import { AttendanceHandler } from './attendance/attendance.handler.js';
import { AttendanceService } from './attendance/attendance.service.js';
import { CalendarFeedRepository } from './calendar/calendar-feed.repository.js';
import { CalendarHandler } from './calendar/calendar.handler.js';
import { CalendarService } from './calendar/calendar.service.js';
import { CommunityHandler } from './communities/community.handler.js';
import { CommunityService } from './communities/community.service.js';
import { SpaceSummaryService } from './communities/space-summary.service.js';
import { RegistrationHandler } from './registrations/registration.handler.js';
import { RegistrationService } from './registrations/registration.service.js';
import { RosterSyncHandler } from './registrations/roster-sync.handler.js';
import { RosterSyncService } from './registrations/roster-sync.service.js';
import { NotesAccessService } from './workshops/notes-access.service.js';
import { NotesSeederHandler } from './workshops/notes-seeder.handler.js';
import { WorkshopContextLoader } from './workshops/workshop-context.js';
import { WorkshopHandler } from './workshops/workshop.handler.js';
import { WorkshopService } from './workshops/workshop.service.js';
import { WorkshopWriter } from './workshops/workshop-writer.js';

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
      controllers: [
        // workshops, communities, calendar (issue 12)
        WorkshopHandler,
        RegistrationHandler,
        AttendanceHandler,
        CommunityHandler,
        CalendarHandler,
        AccessHandler,
        CallHandler,
        ProposalHandler,
        ReviewHandler,
        MembershipHandler,
        ...marketPlaceHandlers,
      ],
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
        ...marketPlaceProviders,
        // workshops, communities, calendar (issue 12)
        CalendarFeedRepository,
        WorkshopContextLoader,
        WorkshopWriter,
        NotesAccessService,
        WorkshopService,
        RegistrationService,
        RosterSyncService,
        AttendanceService,
        CommunityService,
        SpaceSummaryService,
        CalendarService,
        RosterSyncHandler,
        NotesSeederHandler,
      ],
    };
  }
}
