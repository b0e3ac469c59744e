import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { FrameReader, OP_MSG, parseFrame, ProtocolError } from './wire.js';

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
});
