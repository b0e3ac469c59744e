/** Subjects for live (ephemeral) traffic on core NATS: the gateway relays these to socket.io rooms. */
export const live = {
  /** Every domain event also reaches core subscribers; gateways listen here to update rooms. */
  allEvents: 'agora.*.evt.>',
} as const;

/** socket.io rooms a gateway holds. */
export const rooms = {
  user: (memberId: string) => `user:${memberId}`,
  space: (spaceId: string) => `space:${spaceId}`,
  channel: (channelId: string) => `channel:${channelId}`,
} as const;
