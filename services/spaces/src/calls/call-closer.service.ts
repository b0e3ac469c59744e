import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, PLATFORM_LOGGER, pendingEvent, type Logger } from '@agora/platform';
import { spacesEvents } from '@agora/proto';
import { hex } from '../common/object-id.js';
import { SPACES_CONFIG, type SpacesConfig } from '../common/spaces-config.js';
import { SpaceRepository } from '../spaces/space.repository.js';

const BATCH = 100;

/**
 * Records `call.closed` once a published call's deadline passed. Every replica may run it: the
 * conditional write (`closedAt: null`) lets exactly one record each close. A call's status never
 * waits for this (it is computed from the deadline on every read); the event may lag by one interval.
 */
@Injectable()
export class CallCloser implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly spaces: SpaceRepository,
    private readonly clock: Clock,
    @Inject(SPACES_CONFIG) private readonly config: SpacesConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'call closer sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.CALL_CLOSE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Closes every call due now; returns how many this process closed. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let closed = 0;
    for (const call of await this.spaces.callsToClose(now, BATCH)) {
      const id = hex(call._id);
      const deadline = (call.deadline ?? now).toISOString();
      const done = await this.spaces.update(
        id,
        { stage: 'published', closedAt: null },
        { $set: { closedAt: now } },
        [pendingEvent(spacesEvents.callClosed, null, id, { callId: id, deadline })],
        now,
      );
      if (done) closed += 1;
    }
    return closed;
  }
}
