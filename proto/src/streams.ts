import { streamNameOf } from './events.js';

/** A JetStream stream the platform provisions at start (file storage). */
export interface StreamDef {
  readonly name: string;
  readonly subjects: readonly string[];
  /** Dedupe window for `Nats-Msg-Id`, ms. */
  readonly duplicateWindowMs: number;
  /** 0 = keep forever. */
  readonly maxAgeMs: number;
}

/** A durable consumer with explicit ack. After `maxDeliver` attempts the message is dead-lettered. */
export interface ConsumerDef {
  readonly stream: string;
  readonly durable: string;
  readonly filterSubjects: readonly string[];
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  /** Messages handled at once by one process. */
  readonly concurrency: number;
}

const DAY = 86_400_000;

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
    filterSubjects: ['agora.identity.evt.invitation.sent'],
    maxDeliver: 5,
    ackWaitMs: 30_000,
    concurrency: 4,
  },
} as const satisfies Record<string, ConsumerDef>;
