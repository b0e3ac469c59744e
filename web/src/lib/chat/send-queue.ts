/** What a member asked to send, kept until the server has it. */
export interface OutgoingMessage {
  readonly clientMessageId: string;
  readonly body: string;
  readonly threadOf: string | null;
  readonly attachmentIds: readonly string[];
}

/**
 * `sending`: on its way; `waiting`: the connection or the server failed, it goes again on its own
 * (after a reconnect, or when the rate limit allows); `failed`: the server refused it for good
 * (the member may edit and send it again, or discard it).
 */
export type OutgoingState = 'sending' | 'waiting' | 'failed';

export interface PendingMessage extends OutgoingMessage {
  readonly state: OutgoingState;
  /** The refusal's error code, for `failed`. */
  readonly error: string | null;
  readonly attempts: number;
}

/** How a send attempt ended, as the queue needs to know it. */
export type SendOutcome<M> =
  | { kind: 'sent'; message: M }
  /** Worth trying again: network down, server unavailable, rate limited (with its wait). */
  | { kind: 'retry'; afterMs?: number }
  | { kind: 'refused'; code: string };

export interface SendQueueOptions<M> {
  /** Sends one message; never throws (it maps every failure to an outcome). */
  send(message: OutgoingMessage): Promise<SendOutcome<M>>;
  /** The server has the message (from the reply, or first seen live). */
  onSent(message: M, clientMessageId: string): void;
  /** The pending list changed (for the view). */
  onChange(pending: readonly PendingMessage[]): void;
  /** Waits before trying again when the server names no time, by attempt (1, 2, …). */
  backoffMs?: (attempt: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * The optimistic outbox of one channel: messages show at once as pending and go to the server one
 * at a time, in the order written (two in flight could be numbered out of order). A failed attempt
 * that may succeed later is retried with the same `clientMessageId`, so a message the server did
 * store before the connection dropped is answered again, never stored twice.
 */
export class SendQueue<M> {
  #items: PendingMessage[] = [];
  #inFlight: string | null = null;
  #timer: unknown = undefined;
  #closed = false;
  readonly #options: Required<SendQueueOptions<M>>;

  constructor(options: SendQueueOptions<M>) {
    this.#options = {
      backoffMs: defaultBackoff,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  get pending(): readonly PendingMessage[] {
    return this.#items;
  }

  /** Adds a message to the end of the queue and starts sending if nothing else is on its way. */
  enqueue(message: OutgoingMessage): void {
    if (this.#items.some((p) => p.clientMessageId === message.clientMessageId)) return;
    this.#set([...this.#items, { ...message, state: 'sending', error: null, attempts: 0 }]);
    this.#pump();
  }

  /**
   * The message reached the channel by another way (heard live before the reply came, or the
   * reply of a retry): it leaves the queue. Unknown ids are ignored.
   */
  acknowledge(clientMessageId: string): void {
    if (!this.#items.some((p) => p.clientMessageId === clientMessageId)) return;
    this.#set(this.#items.filter((p) => p.clientMessageId !== clientMessageId));
  }

  /** Try every waiting message again now (the socket reconnected). */
  resume(): void {
    this.#options.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#set(this.#items.map((p) => (p.state === 'waiting' ? { ...p, state: 'sending' } : p)));
    this.#pump();
  }

  /** Send a refused message again (the member chose to). */
  retry(clientMessageId: string): void {
    this.#set(
      this.#items.map((p) =>
        p.clientMessageId === clientMessageId && p.state === 'failed'
          ? { ...p, state: 'sending', error: null }
          : p,
      ),
    );
    this.#pump();
  }

  /** Drop a message that was refused or is still waiting; one on its way cannot be taken back. */
  discard(clientMessageId: string): void {
    if (this.#inFlight === clientMessageId) return;
    this.acknowledge(clientMessageId);
  }

  close(): void {
    this.#closed = true;
    this.#options.clearTimer(this.#timer);
  }

  #set(items: PendingMessage[]): void {
    this.#items = items;
    this.#options.onChange(items);
  }

  #patch(clientMessageId: string, patch: Partial<PendingMessage>): void {
    this.#set(
      this.#items.map((p) => (p.clientMessageId === clientMessageId ? { ...p, ...patch } : p)),
    );
  }

  /** Sends the oldest message ready to go, if none is on its way; order is kept by waiting. */
  #pump(): void {
    if (this.#closed || this.#inFlight !== null) return;
    const blocked = this.#items.find((p) => p.state !== 'failed');
    // A waiting message holds back every later one: they would otherwise overtake it.
    if (!blocked || blocked.state !== 'sending') return;
    const next = blocked;
    this.#inFlight = next.clientMessageId;
    const attempts = next.attempts + 1;
    this.#patch(next.clientMessageId, { attempts });
    void this.#options.send(next).then((outcome) => {
      this.#inFlight = null;
      if (this.#closed) return;
      const still = this.#items.find((p) => p.clientMessageId === next.clientMessageId);
      if (outcome.kind === 'sent') {
        this.acknowledge(next.clientMessageId);
        this.#options.onSent(outcome.message, next.clientMessageId);
      } else if (!still) {
        // Heard live meanwhile: the server has it, whatever this attempt says.
      } else if (outcome.kind === 'refused') {
        this.#patch(next.clientMessageId, { state: 'failed', error: outcome.code });
      } else {
        this.#patch(next.clientMessageId, { state: 'waiting' });
        this.#options.clearTimer(this.#timer);
        this.#timer = this.#options.setTimer(
          () => this.resume(),
          outcome.afterMs ?? this.#options.backoffMs(attempts),
        );
        return;
      }
      this.#pump();
    });
  }
}
