import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure } from '@agora/platform';
import {
  notificationTypes,
  type NotificationPreferences,
  type NotificationView,
  type RpcPayload,
  type RpcResponse,
  type notificationRpc,
} from '@agora/proto';
import { NotificationRepository } from './notification.repository.js';
import type { NotificationDoc } from './notification.schema.js';
import { PreferencesRepository } from './preferences.repository.js';

function view(doc: NotificationDoc): NotificationView {
  return {
    id: doc._id.toHexString(),
    type: doc.type,
    target: doc.target,
    count: doc.count,
    actorIds: doc.actorIds.map((a) => a.toHexString()),
    read: doc.read,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

const cursorOf = (doc: NotificationDoc) => `${doc.updatedAt.getTime()}_${doc._id.toHexString()}`;

function parseCursor(cursor: string): { at: Date; id: string } {
  const [ms = '', id = ''] = cursor.split('_');
  const at = new Date(Number(ms));
  if (Number.isNaN(at.getTime())) throw new RpcFailure('VALIDATION_FAILED', 'bad cursor');
  return { at, id };
}

/** A member's own notifications and preferences: nobody reads or changes another's. */
@Injectable()
export class NotificationService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly preferences: PreferencesRepository,
    private readonly clock: Clock,
  ) {}

  async list(
    memberId: string,
    req: RpcPayload<typeof notificationRpc.list>,
  ): Promise<RpcResponse<typeof notificationRpc.list>> {
    const [page, unread] = await Promise.all([
      this.notifications.page({
        memberId,
        unreadOnly: req.unread ?? false,
        limit: req.limit,
        ...(req.before ? { before: parseCursor(req.before) } : {}),
      }),
      this.notifications.unreadCount(memberId),
    ]);
    const shown = page.slice(0, req.limit);
    const last = shown.at(-1);
    return {
      notifications: shown.map(view),
      nextCursor: page.length > req.limit && last ? cursorOf(last) : null,
      unread,
    };
  }

  async markRead(
    memberId: string,
    req: RpcPayload<typeof notificationRpc.markRead>,
  ): Promise<{ unread: number }> {
    const changed = await this.notifications.markRead(memberId, req.all ? 'all' : (req.ids ?? []));
    const unread = await this.notifications.unreadCount(memberId);
    if (changed > 0) await this.preferences.recordRead(memberId, unread, this.clock.now());
    return { unread };
  }

  async getPreferences(memberId: string): Promise<NotificationPreferences> {
    const prefs = await this.preferences.get(memberId);
    return {
      types: Object.fromEntries(
        notificationTypes.map((t) => [t, !prefs.muted.includes(t)]),
      ) as NotificationPreferences['types'],
      digest: prefs.digest,
    };
  }

  async setPreferences(
    memberId: string,
    req: NotificationPreferences,
  ): Promise<NotificationPreferences> {
    await this.preferences.set(
      memberId,
      { muted: notificationTypes.filter((t) => !req.types[t]), digest: req.digest },
      this.clock.now(),
    );
    return this.getPreferences(memberId);
  }
}
