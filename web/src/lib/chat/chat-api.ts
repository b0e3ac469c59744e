import { chatRoutes } from '@agora/proto';
import type { ApiClient } from '../api/client.js';
import type { ChannelApi } from './channel-store.svelte.js';

/** The channel store's requests, as chat's REST routes (a thread reads its own route). */
export function channelApi(api: ApiClient, channelId: string, threadOf: string | null): ChannelApi {
  const params = { id: channelId };
  return {
    channel: () => api.request(chatRoutes.channelGet, { params }),
    page: (query) =>
      threadOf
        ? api.request(chatRoutes.threadList, { params: { ...params, messageId: threadOf }, query })
        : api.request(chatRoutes.messageList, { params, query }),
    send: (body) => api.request(chatRoutes.messageSend, { params, body }),
    markRead: async (seq) =>
      (await api.request(chatRoutes.readSet, { params, body: { seq } })).readSeq,
  };
}
