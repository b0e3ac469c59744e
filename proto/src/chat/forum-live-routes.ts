import { emitTo, liveRoute, rooms } from '../live.js';
import { forumEvents } from './forum-events.js';

/** A space feed's viewers are in its space room; the main feed's in the `forum` room (every socket). */
function feedRoom(spaceId: string | null) {
  return spaceId === null ? rooms.forum() : rooms.space(spaceId);
}

/** What the forum's events do to open sockets. */
export const forumLiveRoutes = {
  /** Feed viewers see the new count at once (likes are ids and a number: nothing personal). */
  likeCountChanged: liveRoute(forumEvents.likeCountChanged, (d) => [
    emitTo(feedRoom(d.spaceId), 'post.liked', {
      targetType: d.targetType,
      targetId: d.targetId,
      postId: d.postId,
      likes: d.likes,
    }),
  ]),
  /** Feed viewers are told a new post exists (they fetch it; its body never travels the bus). */
  postPublished: liveRoute(forumEvents.postPublished, (d) => [
    emitTo(feedRoom(d.spaceId), 'post.published', { postId: d.postId, spaceId: d.spaceId }),
  ]),
} as const;
