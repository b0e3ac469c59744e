import { z } from 'zod';
import { channelIdSchema } from './chat/channel.js';
import type { ChannelLive, typingLiveSchema, typingSchema } from './chat/chat-live.js';
import type { presenceChangedSchema } from './chat/presence.js';
import type { NotificationType } from './chat/notification.js';
import type { ErrorBody, ErrorCode } from './errors.js';
import type { CallStatus } from './spaces/call.js';
import type { ProposalStatus } from './spaces/proposal.js';
import type { CardRejection, PhaseState } from './spaces/session.js';
import { spaceIdSchema, type SpaceKind, type SpaceRole } from './spaces/space.js';

/** Sent once the socket is authenticated and joined to its rooms. */
export const socketReadySchema = z.strictObject({
  memberId: z.string(),
  serverTime: z.iso.datetime(),
});

/** Refusal reasons a client can act on (socket.io `connect_error` with `err.data.code`). */
export const socketAuthErrors = {
  missing: 'UNAUTHENTICATED',
  expired: 'TOKEN_EXPIRED',
  invalid: 'UNAUTHENTICATED',
  /** Too many handshakes from this address: reconnect after `retryAfterSeconds`. */
  rateLimited: 'RATE_LIMITED',
  /**
   * The token's session ended, its account was suspended or deleted, or its role changed since it
   * was signed: refresh (refused if the session really ended), then reconnect.
   */
  revoked: 'TOKEN_EXPIRED',
  /** The gateway cannot check accounts yet (its view of identity is loading): retry after `retryAfterSeconds`. */
  unavailable: 'UNAVAILABLE',
} as const;

/** `err.data` of a refused handshake. */
export interface SocketRefusal {
  code: ErrorCode;
  message: string;
  retryAfterSeconds?: number;
}

export interface ServerToClientEvents {
  ready: (payload: z.infer<typeof socketReadySchema>) => void;
  /** The member's own account changed (another tab, an admin): refresh what is shown. */
  'me.updated': (payload: { fields: string[] }) => void;
  /** Someone accepted an invitation this member sent: their invitations list shows it at once. */
  'invitation.accepted': (payload: { invitationId: string; memberId: string }) => void;
  /** The access token expired while connected: refresh and reconnect. */
  'session.expired': (payload: { reason: string }) => void;
  /** The member is no longer in the space: every socket of theirs left its room. */
  'space.left': (payload: { spaceId: string }) => void;
  /** To the space's room: another member left or was removed. */
  'space.member.removed': (payload: { spaceId: string; memberId: string }) => void;
  /** To the space's room: a member joined or was added. */
  'space.member.added': (payload: { spaceId: string; memberId: string; role: SpaceRole }) => void;
  /** To the space's room: a member's role changed. */
  'space.member.role-changed': (payload: {
    spaceId: string;
    memberId: string;
    role: SpaceRole;
    previous: SpaceRole;
  }) => void;
  /** To the member: they were added to a space (they may now join its room). */
  'space.joined': (payload: { spaceId: string; kind: SpaceKind; role: SpaceRole }) => void;
  /** To the space's room: some of its fields changed (reload it). */
  'space.updated': (payload: { spaceId: string; fields: string[] }) => void;
  /** To a call's room: it opened or closed. */
  'call.status': (payload: { spaceId: string; status: CallStatus }) => void;
  /** To a proposal's room: its status changed (submitted, in review, decided, withdrawn). */
  'proposal.status': (payload: { spaceId: string; status: ProposalStatus }) => void;
  /** To a proposal's room: the decision is out. */
  'proposal.decided': (payload: { spaceId: string; outcome: 'funded' | 'not-funded' }) => void;
  /** To a proposal's room: a reviewer submitted or revised a review. */
  'proposal.reviewed': (payload: { spaceId: string; reviewId: string }) => void;
  /** To the reviewer: a proposal was assigned to them. */
  'review.assigned': (payload: { spaceId: string; callId: string }) => void;
  /** To a workshop's room: places taken and people waiting changed. */
  'workshop.registrations': (payload: {
    spaceId: string;
    registered: number;
    waitlisted: number;
  }) => void;
  /** To the member: a place freed up and they moved from the waiting list to registered. */
  'workshop.promoted': (payload: { spaceId: string }) => void;
  /** To a session's room: the facilitator moved the session to a phase (the server's clock rules). */
  'session.phase': (payload: PhaseState) => void;
  /** To a session's room: the board was locked or unlocked, authors hidden, a card spotlighted. */
  'session.board': (payload: {
    sessionId: string;
    locked: boolean;
    hideAuthors: boolean;
    spotlightCardId: string | null;
  }) => void;
  /** To a session's room: the facilitator brings every view to this pitch. */
  'session.summon': (payload: { sessionId: string; pitchIndex: number }) => void;
  /** To a session's room: spaces accepted or refused a board card. */
  'session.card': (payload: {
    sessionId: string;
    cardId: string;
    status: 'accepted' | 'rejected';
    rejection: CardRejection | null;
  }) => void;
  /** To a session's room: someone spent dots (turnout; not on what). */
  'session.vote-cast': (payload: { sessionId: string; memberId: string; dots: number }) => void;
  /** The member is no longer in the channel: every socket of theirs left its room. */
  'channel.left': (payload: { channelId: string }) => void;
  /** To the channel's room: another member left or was removed. */
  'channel.member.removed': (payload: { channelId: string; memberId: string }) => void;
  /** To the member: a ledger entry changed their MED Points (negative for reversals and charges). */
  'points.awarded': (payload: {
    entryId: string;
    points: number;
    rule: string;
    balance: number;
  }) => void;
  /** To the member: their MED Points level changed. */
  'level.changed': (payload: {
    level: string;
    previous: string;
    direction: 'up' | 'down';
    balance: number;
  }) => void;
  /** To the channel's room, the sender too (chat's live path, `chatLive`). */
  'message.created': (payload: ChannelLivePayload<'message.created'>) => void;
  'message.updated': (payload: ChannelLivePayload<'message.updated'>) => void;
  'message.deleted': (payload: ChannelLivePayload<'message.deleted'>) => void;
  'reaction.changed': (payload: ChannelLivePayload<'reaction.changed'>) => void;
  'read.changed': (payload: ChannelLivePayload<'read.changed'>) => void;
  /** To the channel's room but the typist's own sockets: a member is typing (fade after `typingTtlMs`). */
  typing: (payload: z.infer<typeof typingLiveSchema>) => void;
  /** To a space's room: a member came online in it or left it. */
  'presence.changed': (payload: z.infer<typeof presenceChangedSchema>) => void;
  /** To a feed's viewers (`forum` for the main feed, else the space's room): a like count changed. */
  'post.liked': (payload: {
    targetType: 'post' | 'comment';
    targetId: string;
    postId: string;
    likes: number;
  }) => void;
  /** To a feed's viewers: a post was published there (fetch it with GET /api/posts/{id}). */
  'post.published': (payload: { postId: string; spaceId: string | null }) => void;
  /** To the member: a notification was created or grew; `unread` is the bell's new count. */
  'notification.created': (payload: {
    id: string;
    type: NotificationType;
    count: number;
    unread: number;
  }) => void;
  /** To the member: notifications were marked read (in another tab, say). */
  'notification.read': (payload: { unread: number }) => void;
}

type ChannelLivePayload<E extends ChannelLive['event']> = Extract<
  ChannelLive,
  { event: E }
>['payload'];

export const pingSchema = z.strictObject({ sentAt: z.number() });
export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: ErrorBody }) => void;

export const spaceRoomSchema = z.strictObject({ spaceId: spaceIdSchema });
export const channelRoomSchema = z.strictObject({ channelId: channelIdSchema });
/** Rooms one socket may be in besides its own `user:` room; a join past it is refused (CONFLICT). */
export const maxRoomsPerSocket = 200;

/**
 * Joins are authorised by the owning service over NATS: refused → `FORBIDDEN`, nobody answering →
 * `UNAVAILABLE`, a malformed payload → `VALIDATION_FAILED`, too many rooms → `CONFLICT`, too many
 * joins → `RATE_LIMITED` (the member's REST budget). Leaving a room the socket is not in succeeds.
 */
export interface ClientToServerEvents {
  /** Round-trip check used by the connection indicator. */
  ping: (
    payload: z.infer<typeof pingSchema>,
    ack: Ack<{ sentAt: number; serverTime: number }>,
  ) => void;
  /** Follow a space live (room `space:<spaceId>`); spaces says whether and in which role. */
  'space.join': (
    payload: z.infer<typeof spaceRoomSchema>,
    ack: Ack<{ spaceId: string; role: SpaceRole }>,
  ) => void;
  'space.leave': (payload: z.infer<typeof spaceRoomSchema>, ack: Ack<{ spaceId: string }>) => void;
  /** Follow a channel live (room `channel:<channelId>`); chat says whether. */
  'channel.join': (
    payload: z.infer<typeof channelRoomSchema>,
    ack: Ack<{ channelId: string }>,
  ) => void;
  'channel.leave': (
    payload: z.infer<typeof channelRoomSchema>,
    ack: Ack<{ channelId: string }>,
  ) => void;
  /** I am typing in a channel whose room this socket joined (no ack; ignored otherwise). */
  typing: (payload: z.infer<typeof typingSchema>) => void;
}

export const socketPath = '/socket.io';
