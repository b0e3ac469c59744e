import { Injectable } from '@nestjs/common';
import { accountEvents, type SessionEndCause } from '@agora/proto';
import { EventPublisher } from '@agora/platform';

/** At most this many session ids per event (the contract's bound). */
const CHUNK = 1000;

/**
 * Publishes `identity.sessions.revoked`. Published before the tokens are revoked in the store
 * ("publish first, then project", DESIGN): a crash in between leaves the refresh tokens usable but
 * their access tokens and sockets already refused; the caller got an error and tries again.
 */
@Injectable()
export class SessionEventsRepository {
  constructor(private readonly publisher: EventPublisher) {}

  async revoked(
    actor: string | null,
    memberId: string,
    sessionIds: readonly string[],
    cause: SessionEndCause,
    at: Date,
  ): Promise<void> {
    for (let i = 0; i < sessionIds.length; i += CHUNK) {
      await this.publisher.publish(accountEvents.sessionsRevoked, {
        actor,
        subject: memberId,
        occurredAt: at,
        data: { memberId, sessionIds: sessionIds.slice(i, i + CHUNK), cause },
      });
    }
  }
}
