import type { ChannelView, SpaceKind } from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';
import { people, spaceTitles } from '$lib/chat/chat-state.js';

export const spaceKindLabel: Record<SpaceKind, () => string> = {
  call: () => m.chat_kind_call(),
  proposal: () => m.chat_kind_proposal(),
  session: () => m.chat_kind_session(),
  workshop: () => m.chat_kind_workshop(),
  community: () => m.chat_kind_community(),
};

/** How a channel is named in the list: its space's title, or the other members of a DM. */
export function channelTitle(channel: ChannelView, self: string): string {
  if (channel.kind === 'space') return spaceTitles.get(channel.id)?.title ?? m.chat_kind_space();
  const others = channel.memberIds.filter((id) => id !== self);
  if (others.length === 0) return m.chat_dm_self();
  return others.map((id) => people.name(id, m.chat_someone())).join(', ');
}

/** The second line: the space's kind, or "direct message". */
export function channelKindText(channel: ChannelView): string {
  if (channel.kind === 'direct') return m.chat_kind_direct();
  const kind = spaceTitles.get(channel.id)?.kind;
  return kind ? spaceKindLabel[kind]() : m.chat_kind_space();
}
