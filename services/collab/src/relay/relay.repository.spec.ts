import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { PREV_SEQ_HEADER, readRelay } from './relay.repository.js';

function msg(h: Record<string, string> | null, data = Uint8Array.of(1)) {
  if (!h) return { headers: undefined, data };
  const hs = headers();
  for (const [k, v] of Object.entries(h)) hs.set(k, v);
  return { headers: hs, data };
}

describe('readRelay', () => {
  it("reads an update with its sequence and the sender's previous one", () => {
    const got = readRelay(
      msg({
        'Agora-Replica': 'r-1',
        'Agora-Kind': 'update',
        'Agora-Seq': '42',
        [PREV_SEQ_HEADER]: '40',
      }),
    );
    expect(got?.meta).toEqual({ replica: 'r-1', kind: 'update', seq: 42 });
    expect(got?.prevSeq).toBe(40);
  });

  it('reads awareness (no sequence) and marks a missing previous sequence as unknown', () => {
    const got = readRelay(msg({ 'Agora-Replica': 'r-2', 'Agora-Kind': 'awareness' }));
    expect(got?.meta).toEqual({ replica: 'r-2', kind: 'awareness', seq: 0 });
    expect(Number.isNaN(got?.prevSeq)).toBe(true);
  });

  it('drops messages without headers or with malformed ones', () => {
    expect(readRelay(msg(null))).toBeNull();
    expect(readRelay(msg({ 'Agora-Kind': 'update', 'Agora-Seq': '1' }))).toBeNull();
    expect(
      readRelay(msg({ 'Agora-Replica': 'R!', 'Agora-Kind': 'update', 'Agora-Seq': '1' })),
    ).toBeNull();
    expect(
      readRelay(msg({ 'Agora-Replica': 'r', 'Agora-Kind': 'snapshot', 'Agora-Seq': '1' })),
    ).toBeNull();
    expect(
      readRelay(msg({ 'Agora-Replica': 'r', 'Agora-Kind': 'update', 'Agora-Seq': '0' })),
    ).toBeNull();
    expect(
      readRelay(msg({ 'Agora-Replica': 'r', 'Agora-Kind': 'update', 'Agora-Seq': '-3' })),
    ).toBeNull();
  });
});
