// Chat through two gateway replicas over a real nats-server: messages sent on one replica reach
// members connected to the other, every client ends with the server's exact history through a
// reconnect storm and a nats-server restart, and nobody outside a channel reads, joins or posts.
import {
  errorResponseSchema,
  messagePageSchema,
  messageSchema,
  type MessageView,
} from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelFollower,
  emitAck,
  eventually,
  startChatStack,
  type ChatClient,
  type ChatStack,
  type Member,
} from './chat-fixture.js';

let stack: ChatStack;

beforeAll(async () => {
  stack = await startChatStack({
    replicas: 2,
    // 40 at once, then 2 per second: the storm's senders stay within it, the flood below does not.
    chatEnv: { CHAT_SEND_BURST: '40', CHAT_SEND_PER_SEC: '2' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function code(res: Response, status: number): Promise<string> {
  return errorResponseSchema.parse(await json(res, status)).error.code;
}

async function openDm(owner: Member, others: Member[]): Promise<string> {
  const res = await stack.api('/dms', {
    method: 'POST',
    token: owner.token,
    json: { memberIds: others.map((o) => o.id) },
  });
  return (await json<{ id: string }>(res, 200)).id;
}

let counter = 0;
function send(
  who: Member,
  channelId: string,
  body: string,
  clientMessageId = `c${(counter += 1)}`,
  replica = 0,
) {
  return stack.api(`/channels/${channelId}/messages`, {
    method: 'POST',
    token: who.token,
    json: { body, clientMessageId },
    replica,
  });
}

async function serverSeqs(who: Member, channelId: string): Promise<number[]> {
  const out: number[] = [];
  for (;;) {
    const res = await stack.api(
      `/channels/${channelId}/messages?after=${out.at(-1) ?? 0}&limit=100`,
      {
        token: who.token,
      },
    );
    const page = messagePageSchema.parse(await json(res, 200));
    out.push(...page.messages.map((m) => m.seq));
    if (!page.hasMore) return out;
  }
}

function next<E extends 'message.created' | 'typing' | 'reaction.changed' | 'read.changed'>(
  socket: ChatClient,
  event: E,
): Promise<Parameters<import('@agora/proto').ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => socket.once(event as 'typing', resolve));
}

describe('chat across two gateway replicas', () => {
  it('delivers a message sent through one replica to members on the other, the sender too', async () => {
    const [a, b] = await Promise.all([stack.member(), stack.member()]);
    const channelId = await openDm(a, [b]);
    const onA = await stack.connect(a.token, 0);
    const onB = await stack.connect(b.token, 1);
    await emitAck(onA, 'channel.join', { channelId });
    await emitAck(onB, 'channel.join', { channelId });
    const heardA = next(onA, 'message.created');
    const heardB = next(onB, 'message.created');
    const sent = messageSchema.parse(
      await json(await send(a, channelId, 'hello **B**', 'first', 0), 201),
    );
    const [toA, toB] = await Promise.all([heardA, heardB]);
    expect(toB).toEqual({ channelId, message: sent });
    expect(toA).toEqual({ channelId, message: sent });

    // Typing, reactions and read positions reach the other replica too (typing not the typist).
    const typing = next(onB, 'typing');
    onA.emit('typing', { channelId });
    expect(await typing).toEqual({ channelId, memberId: a.id });
    const reacted = next(onA, 'reaction.changed');
    await json(
      await stack.api(`/channels/${channelId}/messages/${sent.id}/reactions`, {
        method: 'PUT',
        token: b.token,
        json: { emoji: '🎉' },
        replica: 1,
      }),
      200,
    );
    expect((await reacted).reactions).toEqual([{ emoji: '🎉', count: 1, memberIds: [b.id] }]);
    const read = next(onA, 'read.changed');
    await json(
      await stack.api(`/channels/${channelId}/read`, {
        method: 'PUT',
        token: b.token,
        json: { seq: 1 },
        replica: 1,
      }),
      200,
    );
    expect(await read).toEqual({ channelId, memberId: b.id, readSeq: 1 });
    onA.disconnect();
    onB.disconnect();
  });

  it('answers 200 with the same message for a resent clientMessageId, 201 only once', async () => {
    const [a, b] = await Promise.all([stack.member(), stack.member()]);
    const channelId = await openDm(a, [b]);
    const first = await json<MessageView>(await send(a, channelId, 'once', 'idem', 0), 201);
    const again = await json<MessageView>(await send(a, channelId, 'once', 'idem', 1), 200);
    expect(again).toEqual(first);
    expect(await serverSeqs(a, channelId)).toEqual([1]);
  });

  it('stores a stored-XSS payload as written and hands out only sanitised html', async () => {
    const [a, b] = await Promise.all([stack.member(), stack.member()]);
    const channelId = await openDm(a, [b]);
    const payload = '<img src=x onerror=alert(1)> [x](javascript:alert(1)) **ok**';
    const sent = await json<MessageView>(await send(a, channelId, payload), 201);
    expect(sent.body).toBe(payload);
    expect(sent.html).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; <a rel="noopener noreferrer nofollow" target="_blank">x</a> <strong>ok</strong></p>',
    );
  });

  it('keeps non-members out over REST and the socket', async () => {
    const [a, b, stranger] = await Promise.all([stack.member(), stack.member(), stack.member()]);
    const channelId = await openDm(a, [b]);
    await json(await send(a, channelId, 'private'), 201);
    expect(await code(await send(stranger, channelId, 'let me in'), 403)).toBe('FORBIDDEN');
    expect(
      await code(
        await stack.api(`/channels/${channelId}/messages`, { token: stranger.token }),
        403,
      ),
    ).toBe('FORBIDDEN');
    expect(
      await code(await stack.api(`/channels/${channelId}`, { token: stranger.token }), 403),
    ).toBe('FORBIDDEN');
    expect(await code(await stack.api(`/channels/${channelId}/messages`), 401)).toBe(
      'UNAUTHENTICATED',
    );
    const socket = await stack.connect(stranger.token, 1);
    await expect(emitAck(socket, 'channel.join', { channelId })).rejects.toThrow('FORBIDDEN');
    // A socket not in the room hears nothing of it, and its typing goes nowhere.
    const heard: unknown[] = [];
    socket.on('message.created', (p) => heard.push(p));
    socket.emit('typing', { channelId });
    await json(await send(a, channelId, 'still private'), 201);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
    socket.disconnect();
  });

  it('refuses a member past their send budget with 429', async () => {
    const [a, b] = await Promise.all([stack.member(), stack.member()]);
    const channelId = await openDm(a, [b]);
    const results = await Promise.all(
      Array.from({ length: 205 }, () => send(b, channelId, 'flood')),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(205 - 1);
    expect(statuses).toContain(429);
    const limited = results.find((r) => r.status === 429);
    expect(limited && (await code(limited, 429))).toBe('RATE_LIMITED');
  });

  it('gives 200 reconnecting clients the exact history while 20 messages/s flow', async () => {
    const senders = await Promise.all(Array.from({ length: 5 }, () => stack.member()));
    const readers = await Promise.all(Array.from({ length: 10 }, () => stack.member()));
    const [owner, ...rest] = senders;
    if (!owner) throw new Error('no owner');
    const channelId = await openDm(owner, [...rest, ...readers]);
    // 200 clients: 20 sockets per reader, half on each replica.
    const followers: ChannelFollower[] = [];
    const sockets: ChatClient[] = [];
    for (const reader of readers)
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const socket = await stack.connect(reader.token, i % 2, { reconnection: true });
          const follower = new ChannelFollower(stack, reader.token, channelId);
          await follower.follow(socket);
          followers.push(follower);
          sockets.push(socket);
        }),
      );

    let sent = 0;
    const flow = (async () => {
      const started = Date.now();
      for (let i = 0; i < 100; i += 1) {
        const who = senders[i % senders.length];
        if (!who) continue;
        const clientMessageId = `storm-${i}`;
        // A retry after a failure reuses its clientMessageId: never a duplicate.
        for (;;) {
          const res = await send(who, channelId, `storm ${i}`, clientMessageId, i % 2);
          if (res.status === 201 || res.status === 200) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        sent += 1;
        const due = started + (i + 1) * 50;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      }
    })();
    // The storm: every socket drops its transport once or twice at random moments of the flow.
    const storm = Promise.all(
      sockets.map(async (socket) => {
        for (let k = 0; k < 2; k += 1) {
          await new Promise((r) => setTimeout(r, Math.random() * 2_000));
          socket.io.engine.close();
        }
      }),
    );
    await Promise.all([flow, storm]);
    expect(sent).toBe(100);
    const truth = await serverSeqs(owner, channelId);
    expect(truth).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await eventually(() => {
      for (const f of followers) expect(f.seqs()).toEqual(truth);
    }, 30_000);
    for (const s of sockets) s.disconnect();
  }, 120_000);

  it('keeps every client whole when nats-server restarts mid-flow', async () => {
    const [a, b, c] = await Promise.all([stack.member(), stack.member(), stack.member()]);
    const channelId = await openDm(a, [b, c]);
    const followers: ChannelFollower[] = [];
    for (const [who, replica] of [
      [b, 0],
      [b, 1],
      [c, 0],
      [c, 1],
    ] as const) {
      const follower = new ChannelFollower(stack, who.token, channelId);
      await follower.follow(await stack.connect(who.token, replica, { reconnection: true }));
      followers.push(follower);
    }
    const flow = (async () => {
      for (let i = 0; i < 60; i += 1) {
        for (;;) {
          const res = await send(a, channelId, `m${i}`, `restart-${i}`, i % 2).catch(
            () => undefined,
          );
          if (res && (res.status === 201 || res.status === 200)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 800));
    await stack.nats.restart();
    await flow;
    const truth = await serverSeqs(a, channelId);
    expect(truth).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await eventually(() => {
      for (const f of followers) expect(f.seqs()).toEqual(truth);
    }, 30_000);
  }, 120_000);
});
