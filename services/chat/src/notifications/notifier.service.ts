import { Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import type { NotificationTarget, NotificationType } from '@agora/proto';
import { NotificationRepository } from './notification.repository.js';
import { PreferencesRepository } from './preferences.repository.js';

/** A target with only what is set; the rest is null. */
export function target(t: Partial<NotificationTarget>): NotificationTarget {
  return {
    spaceId: null,
    channelId: null,
    messageId: null,
    postId: null,
    commentId: null,
    outcome: null,
    startsAt: null,
    ...t,
  };
}

export interface Notice {
  type: NotificationType;
  key: string;
  target: NotificationTarget;
  actorId: string | null;
  sourceId: string;
}

/**
 * Turns source events into notifications: never to the member who caused it, never of a type the
 * member turned off, once per source event (a redelivery changes nothing), repeats on one key
 * collapsed into one notification.
 */
@Injectable()
export class NotifierService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly preferences: PreferencesRepository,
    private readonly clock: Clock,
  ) {}

  /** Notifies each member once (duplicates in `memberIds` count once); how many were raised. */
  async notify(memberIds: readonly string[], notice: Notice): Promise<number> {
    let raised = 0;
    for (const memberId of new Set(memberIds)) {
      if (memberId === notice.actorId) continue;
      const prefs = await this.preferences.get(memberId);
      if (prefs.muted.includes(notice.type)) continue;
      const doc = await this.notifications.raise({ memberId, ...notice }, this.clock.now());
      if (doc) raised += 1;
    }
    return raised;
  }
}
