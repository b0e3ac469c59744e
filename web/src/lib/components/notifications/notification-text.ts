import type { NotificationView } from '@agora/proto';
import { resolve } from '$app/paths';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';

/** What a notification says, in the reader's language. */
export function notificationText(n: NotificationView): string {
  switch (n.type) {
    case 'mention':
      return m.notif_text_mention({ count: n.count });
    case 'thread-reply':
      return m.notif_text_thread_reply({ count: n.count });
    case 'forum-reply':
      return m.notif_text_forum_reply({ count: n.count });
    case 'proposal-decided':
      return n.target.outcome === 'funded' ? m.notif_text_funded() : m.notif_text_not_funded();
    case 'space-added':
      return m.notif_text_space_added();
    case 'waitlist-promoted':
      return m.notif_text_waitlist_promoted();
    case 'starting-soon':
      return m.notif_text_starting_soon({
        time: n.target.startsAt
          ? new Intl.DateTimeFormat(getLocale(), {
              dateStyle: 'medium',
              timeStyle: 'short',
            }).format(new Date(n.target.startsAt))
          : '',
      });
  }
}

/** Where a notification leads in the app (null: nowhere to go). */
export function notificationHref(n: NotificationView): string | null {
  if (n.target.postId) return resolve(`/forum/${n.target.postId}`);
  if (n.target.channelId) return `${resolve('/chat')}?channel=${n.target.channelId}`;
  if (n.type === 'proposal-decided' && n.target.spaceId)
    return resolve(`/proposals/${n.target.spaceId}`);
  if (n.type === 'waitlist-promoted' && n.target.spaceId)
    return resolve(`/workshops/${n.target.spaceId}`);
  return null;
}
