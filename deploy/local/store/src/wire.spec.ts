import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import {
  encodeReply,
  FrameReader,
  OP_COMPRESSED,
  OP_MSG,
  OP_QUERY,
  OP_REPLY,
  parseFrame,
  ProtocolError,
} from './wire.js';

function opMsg(body: object, sequences: [string, object[]][] = [], flags = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [id, docs] of sequences) {
    const payload = Buffer.concat([
      Buffer.from(`${id}\0`),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flagBuf = Buffer.alloc(4);
  flagBuf.writeUInt32LE(flags);
  const content = Buffer.concat([flagBuf, ...parts]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + content.length, 0);
  header.writeInt32LE(7, 4);
  header.writeInt32LE(OP_MSG, 12);
  return Buffer.concat([header, content]);
}

describe('wire protocol', () => {
  it('reassembles frames split across chunks', () => {
    const frame = opMsg({ ping: 1, $db: 'a' });
    const reader = new FrameReader();
    expect(reader.push(frame.subarray(0, 10))).toEqual([]);
    const [f] = reader.push(frame.subarray(10));
    expect(parseFrame(f!).command).toEqual({ ping: 1, $db: 'a' });
  });

  it('reassembles a large frame delivered in many small chunks, with the next frame behind it', () => {
    const docs = Array.from({ length: 2000 }, (_, i) => ({ i, pad: 'p'.repeat(100) }));
    const big = opMsg({ insert: 'c', $db: 'a' }, [['documents', docs]]);
    const next = opMsg({ ping: 1, $db: 'a' });
    const stream = Buffer.concat([big, next]);
    const reader = new FrameReader();
    const frames = [];
    for (let at = 0; at < stream.length; at += 1000)
      frames.push(...reader.push(stream.subarray(at, at + 1000)));
    expect(frames).toHaveLength(2);
    expect((parseFrame(frames[0]!).command.documents as unknown[]).length).toBe(2000);
    expect(parseFrame(frames[1]!).command).toEqual({ ping: 1, $db: 'a' });
    // A length split across chunks is still read correctly.
    const split = new FrameReader();
    expect(split.push(next.subarray(0, 2))).toEqual([]);
    expect(split.push(next.subarray(2, 3))).toEqual([]);
    expect(split.push(next.subarray(3))).toHaveLength(1);
  });

  it('folds kind-1 document sequences into the command and reads moreToCome', () => {
    const reader = new FrameReader();
    const [f] = reader.push(
      opMsg({ insert: 'c', $db: 'a' }, [['documents', [{ x: 1 }, { x: 2 }]]], 2),
    );
    const req = parseFrame(f!);
    expect(req.command.documents).toEqual([{ x: 1 }, { x: 2 }]);
    expect(req.moreToCome).toBe(true);
  });

  it('rejects impossible lengths and bad sections', () => {
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(3, 0);
    expect(() => new FrameReader().push(bad)).toThrow(ProtocolError);
    const frame = opMsg({ ping: 1 });
    frame[20] = 9; // section kind
    const [f] = new FrameReader().push(frame);
    expect(() => parseFrame(f!)).toThrow(/section kind 9/);
  });

  it('verifies the optional CRC-32C checksum trailer', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const withSum = (flip: boolean): Buffer => {
      const frame = opMsg({ ping: 1, $db: 'a' }, [], 1);
      const full = Buffer.concat([frame, Buffer.alloc(4)]);
      full.writeInt32LE(full.length, 0);
      full.writeUInt32LE(crc32c(full.subarray(0, full.length - 4)), full.length - 4);
      if (flip) full.writeUInt8(full.readUInt8(full.length - 1) ^ 1, full.length - 1);
      return full;
    };
    const [good] = new FrameReader().push(withSum(false));
    expect(parseFrame(good!).command).toEqual({ ping: 1, $db: 'a' });
    const [bad] = new FrameReader().push(withSum(true));
    expect(() => parseFrame(bad!)).toThrow(/checksum mismatch/);
  });

  it('parses the legacy OP_QUERY handshake and answers it with OP_REPLY', () => {
    const query = Buffer.from(BSON.serialize({ $query: { ismaster: 1 } }));
    const content = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('admin.$cmd\0'),
      Buffer.alloc(8),
      query,
    ]);
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + content.length, 0);
    header.writeInt32LE(99, 4);
    header.writeInt32LE(OP_QUERY, 12);
    const [f] = new FrameReader().push(Buffer.concat([header, content]));
    const req = parseFrame(f!);
    expect(req).toMatchObject({
      legacy: true,
      requestId: 99,
      command: { ismaster: 1, $db: 'admin' },
    });
    const reply = encodeReply(req, { ok: 1 });
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(8)).toBe(99); // responseTo
    expect(reply.readInt32LE(12)).toBe(OP_REPLY);
    expect(reply.readInt32LE(32)).toBe(1); // numberReturned
    expect(BSON.deserialize(reply.subarray(36))).toEqual({ ok: 1 });
    const msg = encodeReply({ ...req, legacy: false }, { ok: 1 });
    expect(msg.readInt32LE(12)).toBe(OP_MSG);
    expect(msg.readInt32LE(0)).toBe(msg.length);
    expect(msg.readInt32LE(8)).toBe(99);
    expect([...msg.subarray(16, 21)]).toEqual([0, 0, 0, 0, 0]); // flagBits, section kind 0
    expect(BSON.deserialize(msg.subarray(21))).toEqual({ ok: 1 });
    expect([...reply.subarray(16, 32)]).toEqual(new Array(16).fill(0)); // flags, cursorID, startingFrom
  });

  it('refuses OP_QUERY outside commands, compression, unknown required flags and odd sections', () => {
    const frameOf = (opCode: number, content: Buffer) => {
      const header = Buffer.alloc(16);
      header.writeInt32LE(16 + content.length, 0);
      header.writeInt32LE(opCode, 12);
      return new FrameReader().push(Buffer.concat([header, content]))[0]!;
    };
    const q = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('db.coll\0'),
      Buffer.alloc(8),
      Buffer.from(BSON.serialize({})),
    ]);
    expect(() => parseFrame(frameOf(OP_QUERY, q))).toThrow(/only accepted for commands/);
    expect(() => parseFrame(frameOf(OP_COMPRESSED, Buffer.alloc(12)))).toThrow(/compression/);
    expect(() => parseFrame(frameOf(1234, Buffer.alloc(4)))).toThrow(/unsupported opcode 1234/);
    const [unknownFlag] = new FrameReader().push(opMsg({ ping: 1 }, [], 1 << 4));
    expect(() => parseFrame(unknownFlag!)).toThrow(/flag/);
    // exhaustAllowed (bit 16) is optional: accepted.
    const [exhaust] = new FrameReader().push(opMsg({ ping: 1 }, [], 1 << 16));
    expect(parseFrame(exhaust!).command).toEqual({ ping: 1 });
    const body = Buffer.from(BSON.serialize({ ping: 1 }));
    const twoBodies = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from([0]),
      body,
      Buffer.from([0]),
      body,
    ]);
    expect(() => parseFrame(frameOf(OP_MSG, twoBodies))).toThrow(/two body sections/);
    const seqOnly = opMsg({ x: 1 }, [['documents', [{ a: 1 }]]]).subarray(16);
    const noBody = Buffer.concat([seqOnly.subarray(0, 4), seqOnly.subarray(5 + body.length + 1)]);
    expect(() => parseFrame(frameOf(OP_MSG, noBody))).toThrow(ProtocolError);
    const lying = Buffer.from(opMsg({ ping: 1 }));
    lying.writeInt32LE(1000, 21); // body document claims more bytes than the frame has
    expect(() => parseFrame(new FrameReader().push(lying)[0]!)).toThrow(/invalid document size/);
  });

  it('refuses a frame over the maximum message size before buffering it', () => {
    const header = Buffer.alloc(16);
    header.writeInt32LE(48_000_001, 0);
    expect(() => new FrameReader().push(header)).toThrow(/invalid message length/);
  });
});
