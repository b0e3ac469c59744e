import { describe, expect, it } from 'vitest';
import { SendQueue, type OutgoingMessage, type SendOutcome } from './send-queue.js';

interface Stored {
  clientMessageId: string;
  seq: number;
}

/** A server that answers each send when the test says, and numbers what it stores. */
function harness() {
  const calls: { message: OutgoingMessage; answer: (o: SendOutcome<Stored>) => void }[] = [];
  const sent: Stored[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const queue = new SendQueue<Stored>({
    send: (message) => new Promise((answer) => calls.push({ message, answer })),
    onSent: (message) => sent.push(message),
    onChange: () => undefined,
    setTimer: (fn, ms) => {
      const timer = { fn, ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const i = timers.indexOf(timer as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  return { queue, calls, sent, timers };
}

const out = (id: string, body = id): OutgoingMessage => ({
  clientMessageId: id,
  body,
  threadOf: null,
  attachmentIds: [],
});
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('SendQueue', () => {
  it('shows messages as pending at once and sends them one at a time, in order', async () => {
    const { queue, calls, sent } = harness();
    queue.enqueue(out('a'));
    queue.enqueue(out('b'));
    expect(queue.pending.map((p) => [p.clientMessageId, p.state])).toEqual([
      ['a', 'sending'],
      ['b', 'sending'],
    ]);
    expect(calls).toHaveLength(1);
    calls[0]!.answer({ kind: 'sent', message: { clientMessageId: 'a', seq: 1 } });
    await settle();
    expect(calls.map((c) => c.message.clientMessageId)).toEqual(['a', 'b']);
    calls[1]!.answer({ kind: 'sent', message: { clientMessageId: 'b', seq: 2 } });
    await settle();
    expect(sent.map((s) => s.seq)).toEqual([1, 2]);
    expect(queue.pending).toEqual([]);
  });

  it('a failed connection keeps the message waiting and resends it with the same id on resume', async () => {
    const { queue, calls, sent } = harness();
    queue.enqueue(out('a'));
    queue.enqueue(out('b'));
    calls[0]!.answer({ kind: 'retry' });
    await settle();
    expect(queue.pending.map((p) => p.state)).toEqual(['waiting', 'sending']);
    // b must not overtake a.
    expect(calls).toHaveLength(1);
    queue.resume();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.message.clientMessageId).toBe('a');
    expect(queue.pending[0]!.attempts).toBe(2);
    calls[1]!.answer({ kind: 'sent', message: { clientMessageId: 'a', seq: 7 } });
    await settle();
    expect(calls[2]!.message.clientMessageId).toBe('b');
    calls[2]!.answer({ kind: 'sent', message: { clientMessageId: 'b', seq: 8 } });
    await settle();
    expect(sent.map((s) => s.clientMessageId)).toEqual(['a', 'b']);
  });

  it('waits the time a rate limit names, else backs off, then tries again by itself', async () => {
    const { queue, calls, timers } = harness();
    queue.enqueue(out('a'));
    calls[0]!.answer({ kind: 'retry', afterMs: 3000 });
    await settle();
    expect(timers.map((t) => t.ms)).toEqual([3000]);
    timers[0]!.fn();
    expect(calls).toHaveLength(2);
    calls[1]!.answer({ kind: 'retry' });
    await settle();
    // Second attempt failed without a named wait: the default backoff for attempt 2.
    expect(timers.at(-1)?.ms).toBe(2000);
  });

  it('a refusal marks the message failed and lets the later ones go; retry sends it again', async () => {
    const { queue, calls } = harness();
    queue.enqueue(out('a'));
    queue.enqueue(out('b'));
    calls[0]!.answer({ kind: 'refused', code: 'FORBIDDEN' });
    await settle();
    expect(queue.pending.map((p) => [p.clientMessageId, p.state, p.error])).toEqual([
      ['a', 'failed', 'FORBIDDEN'],
      ['b', 'sending', null],
    ]);
    expect(calls[1]!.message.clientMessageId).toBe('b');
    calls[1]!.answer({ kind: 'sent', message: { clientMessageId: 'b', seq: 1 } });
    await settle();
    queue.retry('a');
    expect(calls[2]!.message.clientMessageId).toBe('a');
  });

  it('a message heard live before its reply leaves the queue once, whatever the reply says', async () => {
    const { queue, calls, sent } = harness();
    queue.enqueue(out('a'));
    queue.acknowledge('a');
    expect(queue.pending).toEqual([]);
    calls[0]!.answer({ kind: 'retry' });
    await settle();
    expect(queue.pending).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('the same client id is queued once; discard drops a refused message but not one on its way', async () => {
    const { queue, calls } = harness();
    queue.enqueue(out('a'));
    queue.enqueue(out('a'));
    expect(queue.pending).toHaveLength(1);
    queue.discard('a');
    expect(queue.pending).toHaveLength(1);
    calls[0]!.answer({ kind: 'refused', code: 'VALIDATION_FAILED' });
    await settle();
    queue.discard('a');
    expect(queue.pending).toEqual([]);
  });

  it('sends nothing more once closed', async () => {
    const { queue, calls } = harness();
    queue.enqueue(out('a'));
    queue.enqueue(out('b'));
    queue.close();
    calls[0]!.answer({ kind: 'sent', message: { clientMessageId: 'a', seq: 1 } });
    await settle();
    expect(calls).toHaveLength(1);
  });
});
