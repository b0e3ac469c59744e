import { chatRoutes, type MessageView } from '@agora/proto';
import type { ApiClient } from '../api/client.js';

/** The quick reactions offered on every message. */
export const quickReactions = ['👍', '❤️', '😂', '🎉', '😮', '🙏'] as const;

/** What a member can do to one message, as chat's REST routes; each answers the new message. */
export function messageActions(api: ApiClient, channelId: string) {
  const params = (message: MessageView) => ({ id: channelId, messageId: message.id });
  return {
    edit: (message: MessageView, body: string) =>
      api.request(chatRoutes.messageEdit, { params: params(message), body: { body } }),
    remove: (message: MessageView) =>
      api.request(chatRoutes.messageDelete, { params: params(message) }),
    /** Adds my reaction, or withdraws it when I already reacted so. */
    toggleReaction: (message: MessageView, emoji: string, memberId: string) => {
      const mine = message.reactions.some(
        (r) => r.emoji === emoji && r.memberIds.includes(memberId),
      );
      return mine
        ? api.request(chatRoutes.reactionRemove, { params: { ...params(message), emoji } })
        : api.request(chatRoutes.reactionAdd, { params: params(message), body: { emoji } });
    },
    report: (message: MessageView, reason: string) =>
      api.request(chatRoutes.messageReport, { params: params(message), body: { reason } }),
    hide: (message: MessageView, reason: string) =>
      api.request(chatRoutes.messageHide, { params: params(message), body: { reason } }),
    /** Moderators: the member may not post in this channel for `minutes`. */
    mute: (memberId: string, minutes: number) =>
      api.request(chatRoutes.memberMute, {
        params: { id: channelId, memberId },
        body: { minutes },
      }),
    search: (q: string) =>
      api.request(chatRoutes.messageSearch, { params: { id: channelId }, query: { q } }),
  };
}
export type MessageActions = ReturnType<typeof messageActions>;
