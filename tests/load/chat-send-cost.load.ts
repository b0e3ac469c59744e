// Chat's per-message cost by process, without sockets: 20 direct channels of two members, one REST
// send at a time paced at CHAT_SEND_RATE per second (default 20) through both gateways, and the CPU
// (user and system, from /proc) each server process — nats-server, the store, chat, each gateway —
// used per message over the measured sends; also each process's CPU while idle, and the store
// commands per message are what `chat-fanout` then multiplies by the fan-out. Prints; asserts
// only that every send was stored.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { pinLoadGenerator, startAgoraChat } from './support/chat-servers.js';
import { CpuMeter } from './support/proc-stats.js';
import { fmt } from './support/stats.js';

const hex24 = () => randomBytes(12).toString('hex');
const SENDS = Number(process.env.CHAT_SEND_COUNT ?? 300);
const RATE = Number(process.env.CHAT_SEND_RATE ?? 20);
const ROOMS = 20;

it('chat: CPU per message by process, REST send to stored and published', async () => {
  pinLoadGenerator();
  const a = await startAgoraChat(2);
  try {
    const members = Array.from({ length: ROOMS }, () => [hex24(), hex24()]);
    const tokens = await Promise.all(members.map((m) => Promise.all(m.map((id) => a.token(id)))));
    const channels: string[] = [];
    for (let r = 0; r < ROOMS; r += 1) {
      const res = await fetch(`${a.gateways[0]}/api/dms`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens[r]![0]}`,
          'content-type': 'application/json',
          'x-forwarded-for': `10.1.0.${r}`,
        },
        body: JSON.stringify({ memberIds: [members[r]![1]] }),
      });
      expect(res.status).toBe(200);
      channels.push(((await res.json()) as { id: string }).id);
    }
    const send = async (i: number): Promise<void> => {
      const r = ((i % ROOMS) + ROOMS) % ROOMS;
      const res = await fetch(
        `${a.gateways[r % a.gateways.length]}/api/channels/${channels[r]}/messages`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens[r]![0]}`,
            'content-type': 'application/json',
            'x-forwarded-for': `10.0.0.${r}`,
          },
          body: JSON.stringify({
            body: `hello world number ${i}`,
            clientMessageId: `c${i}-${hex24()}`,
          }),
        },
      );
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`send answered ${res.status}`);
    };
    // Warm-up (JIT, connection pools), then the processes at rest.
    for (let i = 0; i < 60; i += 1) await send(-1 - i);
    await new Promise((r) => setTimeout(r, 2_000));
    const names = [
      'nats-server',
      'store',
      'chat',
      ...a.gatewayPids().map((_, i) => `gateway ${i + 1}`),
    ];
    const meters = a.pids().map((pid) => new CpuMeter(() => [pid]));
    const idleStart = meters.map((m) => m.read());
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = meters.map((m, i) => (m.read() - idleStart[i]!) / 5);
    const start = meters.map((m) => m.read());
    const t0 = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < SENDS; i += 1) {
      const wait = t0 + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(send(i));
    }
    await Promise.all(pending);
    // What the sends left to do (the outbox relay, batched writes) is theirs too.
    await new Promise((r) => setTimeout(r, 1_500));
    const used = meters.map((m, i) => m.read() - start[i]!);
    const total = used.reduce((x, y) => x + y, 0);
    console.log(
      `chat send cost: ${SENDS} sends at ${RATE}/s, load average ${loadavg()[0]!.toFixed(1)}\n` +
        `  CPU per message: ${names.map((n, i) => `${n} ${fmt((used[i]! * 1000) / SENDS, 2)} ms`).join(', ')}; total ${fmt((total * 1000) / SENDS, 2)} ms\n` +
        `  idle CPU (ms per s): ${names.map((n, i) => `${n} ${fmt(idle[i]! * 1000, 1)}`).join(', ')}`,
    );
  } finally {
    await a.stop();
  }
});
