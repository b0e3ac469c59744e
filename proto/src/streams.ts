import { collabEvents } from './collab/events.js';
import { allDocSubjects } from './doc-names.js';
import { streamNameOf } from './events.js';
import { chatEvents } from './chat/events.js';
import { forumEvents } from './chat/forum-events.js';
import { identityEvents } from './identity/events.js';
import { recoveryEvents } from './identity/recovery.js';
import { spacesEvents } from './spaces/events.js';
import { sessionEvents } from './spaces/session-events.js';
import { workshopEvents } from './spaces/workshop-events.js';

/**
 * A JetStream stream the platform provisions at start. Event streams need only the first four
 * fields; a stream of another kind (the collab update log) states its storage and limits too.
 */
export interface StreamDef {
  readonly name: string;
  readonly subjects: readonly string[];
  /** Dedupe window for `Nats-Msg-Id`, ms. */
  readonly duplicateWindowMs: number;
  /** 0 = keep forever. */
  readonly maxAgeMs: number;
  /** `file` (default) survives a server restart; `memory` does not. */
  readonly storage?: 'file' | 'memory';
  /** Bytes the stream may hold; unset = no limit. */
  readonly maxBytes?: number;
  /** Largest message the stream accepts, bytes; unset = the server's max_payload. */
  readonly maxMessageBytes?: number;
  /** Messages kept per subject; unset = no limit. */
  readonly maxMessagesPerSubject?: number;
  /** At a limit: `old` (default) drops the oldest messages, `new` refuses the publish. */
  readonly discard?: 'old' | 'new';
}

/** A durable consumer with explicit ack. After `maxDeliver` attempts the message is dead-lettered. */
export interface ConsumerDef {
  readonly stream: string;
  readonly durable: string;
  readonly filterSubjects: readonly string[];
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  /** Messages handled at once by one process (in batch mode: the most in one batch). */
  readonly concurrency: number;
  /**
   * Batch mode only: batches run at once by one process (default 1). Two let one batch's own work
   * run while the other waits for the store: the handler must then take two batches at once as it
   * takes two replicas.
   */
  readonly batchesAtOnce?: number;
}

const DAY = 86_400_000;
const MiB = 1024 * 1024;

function contextStream(context: string): StreamDef {
  return {
    name: streamNameOf(context),
    subjects: [`agora.${context}.evt.>`],
    duplicateWindowMs: 10 * 60_000,
    maxAgeMs: 0,
  };
}

export const streams = {
  identity: contextStream('identity'),
  spaces: contextStream('spaces'),
  chat: contextStream('chat'),
  collabEvents: contextStream('collab'),
  points: contextStream('points'),
  /**
   * The collab update log: every accepted Yjs update (or merged batch) of a document on its subject
   * `agora.collab.doc.<kind>.<id>` (see `docSubject`), appended before any other client sees it. A
   * document is its latest snapshot plus this tail; the compactor purges what a snapshot covers.
   * - file storage: an update is durable once acknowledged, across a server restart;
   * - no max age: an update leaves only when a snapshot covers it (aging out would lose edits);
   * - discard `new`: a full stream refuses the append (collab tells the editor, who resends later),
   *   where `old` would silently delete edits no snapshot holds yet;
   * - no per-subject limit: nats-server 2.9 always drops a subject's oldest message at that limit
   *   (discard-new-per-subject is 2.10+); the document size limit and the compactor bound a doc;
   * - 1 GiB: ~6 million single-character updates (171 B each stored with subject and Nats-Msg-Id,
   *   measured on nats-server 2.9.10), over 20× the whole automerge-paper trace, so a compactor
   *   outage of hours fits; still a bound, so a stuck compactor cannot fill the disk the store
   *   shares, and small enough for nats-server to reserve on a modest volume;
   * - 1 MiB per message: nats-server's default max_payload; collab splits larger merged batches;
   * - 2-minute dedupe window: a batch re-appended after a lost acknowledgement is stored once.
   */
  collab: {
    // Not AGORA_COLLAB: that name is collab's event stream (`agora.collab.evt.>`) once it has events.
    name: 'AGORA_COLLAB_DOCS',
    subjects: [allDocSubjects],
    storage: 'file',
    duplicateWindowMs: 2 * 60_000,
    maxAgeMs: 0,
    maxBytes: 1024 * MiB,
    maxMessageBytes: MiB,
    discard: 'new',
  },
  /** Messages a consumer gave up on, with the reason in headers; kept 30 days for inspection and replay. */
  deadLetter: {
    name: 'AGORA_DEADLETTER',
    subjects: ['agora.deadletter.>'],
    duplicateWindowMs: 2 * 60_000,
    maxAgeMs: 30 * DAY,
  },
} as const satisfies Record<string, StreamDef>;

/** Subject a dead-lettered message is republished on: `agora.deadletter.<durable>`. */
export function deadLetterSubject(durable: string): string {
  return `agora.deadletter.${durable}`;
}

export const consumers = {
  /** Identity sends invitation mail (SMTP or the dev mailbox) once per `invitation.sent`. */
  identityMailer: {
    stream: streams.identity.name,
    durable: 'identity-mailer',
    filterSubjects: [identityEvents.invitationSent.subject],
    maxDeliver: 5,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /**
   * Identity sends account mail (sign-up and verification links, password reset, email change and
   * its notice) once per `account-mail.queued`, so a request answers before any SMTP round trip
   * and its timing does not tell whether a mail was due.
   */
  identityAccountMailer: {
    stream: streams.identity.name,
    durable: 'identity-account-mailer',
    filterSubjects: [recoveryEvents.accountMailQueued.subject],
    maxDeliver: 5,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /**
   * Spaces turns the role an email invitation kept into a membership once its invitee joins
   * (idempotent: the unique `{spaceId, memberId}` index makes a redelivery a no-op).
   */
  spacesInvitations: {
    stream: streams.identity.name,
    durable: 'spaces-invitations',
    filterSubjects: [identityEvents.invitationAccepted.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /**
   * Spaces seeds each new proposal's document through collab (idempotent on collab's side). While
   * collab is unavailable the event is handed back with a growing delay (up to the ack wait), so
   * 40 deliveries cover about half an hour of outage before it is dead-lettered.
   */
  spacesSeeder: {
    stream: streams.spaces.name,
    durable: 'spaces-seeder',
    filterSubjects: [spacesEvents.proposalCreated.subject],
    maxDeliver: 40,
    ackWaitMs: 60_000,
    concurrency: 4,
  },
  /**
   * Spaces makes a workshop's memberships follow its roster (facilitator, participant, waitlisted,
   * none), read afresh from the workshop each time, so a redelivery or a late event changes nothing.
   */
  spacesWorkshopRoster: {
    stream: streams.spaces.name,
    durable: 'spaces-workshop-roster',
    filterSubjects: [workshopEvents.rosterChanged.subject],
    maxDeliver: 20,
    ackWaitMs: 30_000,
    concurrency: 2,
  },
  /**
   * Spaces seeds a workshop's notes with its agenda on publication, and a community's facilitation
   * guide, through collab (idempotent on collab's side; retried like the proposal seeder).
   */
  spacesNotesSeeder: {
    stream: streams.spaces.name,
    durable: 'spaces-notes-seeder',
    filterSubjects: [workshopEvents.notesOpened.subject],
    maxDeliver: 40,
    ackWaitMs: 60_000,
    concurrency: 4,
  },
  /**
   * Spaces judges a Market Place board's cards after each `collab.doc.changed` of a `board:` doc
   * (other docs are acked at once): it reads them over `collab.board.cards` and accepts or rejects
   * each new card once (unique `{sessionId, cardId}`), so a redelivery changes nothing.
   */
  spacesBoardCards: {
    stream: streams.collabEvents.name,
    durable: 'spaces-board-cards',
    filterSubjects: [collabEvents.docChanged.subject],
    maxDeliver: 40,
    ackWaitMs: 30_000,
    concurrency: 2,
  },
  /**
   * Spaces turns each pitch into an idea of the library (unique `{sessionId, pitchIndex}`: a
   * redelivery finds it there and changes nothing).
   */
  spacesIdeas: {
    stream: streams.spaces.name,
    durable: 'spaces-ideas',
    filterSubjects: [sessionEvents.pitchAdded.subject],
    maxDeliver: 20,
    ackWaitMs: 30_000,
    concurrency: 2,
  },
  /**
   * Chat erases what a deleted account wrote in the forum (post titles and bodies, comments) and
   * its notifications, preferences and digests; idempotent, so a redelivery is a no-op.
   */
  chatForumErasure: {
    stream: streams.identity.name,
    durable: 'chat-forum-erasure',
    filterSubjects: [identityEvents.memberDeleted.subject],
    maxDeliver: 20,
    ackWaitMs: 60_000,
    concurrency: 2,
  },
  /** Chat notifies mentioned members and a thread's author of its replies (collapsed per channel/thread). */
  chatNotifyMessages: {
    stream: streams.chat.name,
    durable: 'chat-notify-messages',
    filterSubjects: [chatEvents.messagePosted.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /** Chat notifies a post's author of each comment on it (collapsed per post). */
  chatNotifyComments: {
    stream: streams.chat.name,
    durable: 'chat-notify-comments',
    filterSubjects: [forumEvents.commentWritten.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /** Chat notifies a comment's author of each reply to it (collapsed per comment). */
  chatNotifyReplies: {
    stream: streams.chat.name,
    durable: 'chat-notify-replies',
    filterSubjects: [forumEvents.replyPosted.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /**
   * Chat keeps who is in which space, in what role (for decisions and reminders), and tells a member
   * someone added them. Every membership event in one consumer, one at a time: they apply in order.
   */
  chatNotifyMemberships: {
    stream: streams.spaces.name,
    durable: 'chat-notify-memberships',
    filterSubjects: ['agora.spaces.evt.membership.>'],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 1,
  },
  /**
   * Chat erases what a deleted account wrote in channels (bodies, reports, the name in others'
   * mentions of them) and takes them out of every channel; idempotent, so a redelivery is a no-op.
   */
  chatErasure: {
    stream: streams.identity.name,
    durable: 'chat-erasure',
    filterSubjects: [identityEvents.memberDeleted.subject],
    maxDeliver: 20,
    ackWaitMs: 60_000,
    concurrency: 2,
  },
  /**
   * Chat's space channels follow the spaces' memberships: every `membership.*` event of
   * AGORA_SPACES (one filter: nats-server 2.9), one at a time so a member's add, role change and
   * removal apply in order; each write is idempotent (unique `{channelId, memberId}`, the role set
   * as the event says), so a redelivery changes nothing.
   */
  chatChannelMembers: {
    stream: streams.spaces.name,
    durable: 'chat-channel-members',
    filterSubjects: ['agora.spaces.evt.membership.>'],
    maxDeliver: 20,
    ackWaitMs: 30_000,
    concurrency: 1,
  },
  /** Chat tells a member they moved from a workshop's waiting list to its participants. */
  chatNotifyPromotions: {
    stream: streams.spaces.name,
    durable: 'chat-notify-promotions',
    filterSubjects: [workshopEvents.registrationPromoted.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /** Chat records each workshop's start time, to remind its participants shortly before. */
  chatNotifyWorkshopStarts: {
    stream: streams.spaces.name,
    durable: 'chat-notify-workshop-starts',
    filterSubjects: [workshopEvents.workshopScheduled.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /** Chat records each Market Place session's start time, to remind its members shortly before. */
  chatNotifySessionStarts: {
    stream: streams.spaces.name,
    durable: 'chat-notify-session-starts',
    filterSubjects: [sessionEvents.sessionScheduled.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /** Chat tells a proposal's team its decision. */
  chatNotifyDecisions: {
    stream: streams.spaces.name,
    durable: 'chat-notify-decisions',
    filterSubjects: [spacesEvents.proposalDecided.subject],
    maxDeliver: 10,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
  /**
   * MED Points: one durable consumer per source stream, each on the whole stream (nats-server 2.9
   * takes one filter per consumer); the rules match event types as data, so every event of the
   * stream is handed to the engine and those no rule names are acked at once. Idempotent: each
   * award's ledger key is unique, so a redelivery or replay never pays twice.
   */
  pointsIdentity: pointsConsumer(streams.identity, 'points-identity'),
  pointsSpaces: pointsConsumer(streams.spaces, 'points-spaces'),
  pointsChat: pointsConsumer(streams.chat, 'points-chat'),
} as const satisfies Record<string, ConsumerDef>;

function pointsConsumer(stream: StreamDef, durable: string): ConsumerDef {
  return {
    stream: stream.name,
    durable,
    filterSubjects: stream.subjects,
    maxDeliver: 20,
    // Handlers take milliseconds (a slow one heartbeats): a crashed replica's messages come back
    // to the others after 10 s.
    ackWaitMs: 10_000,
    // Points runs its consumers in batch mode: up to this many events are awarded together,
    // sharing their store round trips.
    concurrency: 500,
    // The award path is safe between replicas (conditional balance writes, keyed entries), so
    // between two batches of one process too.
    batchesAtOnce: 2,
  };
}
