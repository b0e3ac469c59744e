import { communityRoutes, spacesRoutes, type ChannelView } from '@agora/proto';
import type { ApiClient } from '../api/client.js';

/**
 * Who is in a channel, for mentions: a direct channel names its members; a space's channel has the
 * space's (asked of spaces; a community lists its own). A list the member may not read is empty:
 * mentions then offer those who wrote in the channel.
 */
export async function channelMemberIds(api: ApiClient, channel: ChannelView): Promise<string[]> {
  if (channel.kind === 'direct') return channel.memberIds;
  const params = { id: channel.id };
  try {
    const list = await api.request(spacesRoutes.memberList, { params });
    return list.items.map((item) => item.memberId);
  } catch {
    try {
      const list = await api.request(communityRoutes.communityMembers, { params, query: {} });
      return list.items.map((item) => item.memberId);
    } catch {
      return [];
    }
  }
}
