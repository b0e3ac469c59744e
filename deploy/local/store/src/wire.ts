import { BSON, type Document } from 'bson';
import { crc32c } from './crc32c.js';
import { serializeReply } from './reply-bson.js';

/** Wire protocol opcodes we speak (MongoDB 3.6+ OP_MSG, plus the legacy handshake). */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const OP_COMPRESSED = 2012;

export const HEADER_BYTES = 16;
/** Larger than any frame the driver sends (48 MB batches); anything over is malformed. */
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
const FLAG_EXHAUST_ALLOWED = 1 << 16;
const KNOWN_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME | FLAG_EXHAUST_ALLOWED;

export class ProtocolError extends Error {}

export interface Frame {
  requestId: number;
  opCode: number;
  body: Buffer;
  /** The whole message, header included (the OP_MSG checksum covers it). */
  raw: Buffer;
}

/** A command as the server sees it: the body document with any kind-1 sequences folded in. */
export interface Request {
  requestId: number;
  /** `true` for OP_QUERY: the reply must be an OP_REPLY. */
  legacy: boolean;
  /** OP_MSG moreToCome: the client wants no reply. */
  moreToCome: boolean;
  command: Document;
}

/** Splits a byte stream into frames; keeps a partial frame for the next chunk. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // While a large frame is still arriving, keep its chunks apart: concatenating on every
    // chunk would copy a 48 MB frame hundreds of times.
    const head = this.pending[0]!;
    if (this.pending.length > 1 && head.length >= 4) {
      const length = head.readInt32LE(0);
      if (length >= HEADER_BYTES && length <= MAX_MESSAGE_BYTES && this.pendingBytes < length)
        return [];
    }
    let buf =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const frames: Frame[] = [];
    while (buf.length >= 4) {
      const length = buf.readInt32LE(0);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
        throw new ProtocolError(`invalid message length ${length}`);
      }
      if (buf.length < length) break;
      frames.push({
        requestId: buf.readInt32LE(4),
        opCode: buf.readInt32LE(12),
        body: buf.subarray(HEADER_BYTES, length),
        raw: buf.subarray(0, length),
      });
      buf = buf.subarray(length);
    }
    this.pending = buf.length ? [buf] : [];
    this.pendingBytes = buf.length;
    return frames;
  }
}

/**
 * The bytes each document of a kind-1 sequence arrived as (an insert's documents): a document
 * stored as it arrived keeps them as its BSON instead of being serialised again. Decoding these
 * bytes is what made the document, so they are its BSON as far as the store is concerned (a
 * replay decodes them to the same values).
 */
const arrivedAs = new WeakMap<Document, Uint8Array>();

export function receivedBson(doc: Document): Uint8Array | undefined {
  return arrivedAs.get(doc);
}

const FIXED_SIZES: Record<number, number> = {
  0x01: 8,
  0x06: 0,
  0x07: 12,
  0x08: 1,
  0x09: 8,
  0x0a: 0,
  0x10: 4,
  0x11: 8,
  0x12: 8,
  0x13: 16,
  0xff: 0,
  0x7f: 0,
};

/** The size of an element's value of BSON type `type` at `o` (a document already decoded). */
function valueSize(bson: Buffer, type: number, o: number): number | null {
  const fixed = FIXED_SIZES[type];
  if (fixed !== undefined) return fixed;
  switch (type) {
    case 0x02: // string, JavaScript code, symbol: int32 length + bytes
    case 0x0d:
    case 0x0e:
      return 4 + bson.readInt32LE(o);
    case 0x03: // document, array, code with scope: their int32 covers themselves
    case 0x04:
    case 0x0f:
      return bson.readInt32LE(o);
    case 0x05: // binary: int32 length, subtype, bytes
      return 4 + 1 + bson.readInt32LE(o);
    case 0x0b: {
      // regex: two cstrings
      const end = bson.indexOf(0, bson.indexOf(0, o) + 1);
      return end < 0 ? null : end + 1 - o;
    }
    case 0x0c: // DBPointer: string + ObjectId
      return 4 + bson.readInt32LE(o) + 12;
    default:
      return null;
  }
}

/**
 * Notes the bytes of each document of the `documents` array in an insert's body (the driver
 * sends an insert's documents there, not in a kind-1 sequence), by walking the body's top-level
 * elements up to it. `command` is `body` decoded; nothing is noted if the two do not line up.
 */
function noteInsertDocuments(body: Buffer, command: Document): void {
  const docs: unknown = command.documents;
  if (Object.keys(command)[0] !== 'insert' || !Array.isArray(docs)) return;
  let o = 4;
  while (o < body.length - 1) {
    const type = body[o]!;
    const nameEnd = body.indexOf(0, o + 1);
    if (nameEnd < 0) return;
    const name = body.toString('utf8', o + 1, nameEnd);
    o = nameEnd + 1;
    if (name === 'documents') {
      if (type !== 0x04) return;
      const end = o + body.readInt32LE(o) - 1;
      let p = o + 4;
      for (let i = 0; p < end; i++) {
        if (body[p] !== 0x03 || i >= docs.length) return;
        p = body.indexOf(0, p + 1) + 1;
        const size = body.readInt32LE(p);
        arrivedAs.set(docs[i] as Document, body.subarray(p, p + size));
        p += size;
      }
      return;
    }
    const size = valueSize(body, type, o);
    if (size === null) return;
    o += size;
  }
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

/** Reads one BSON document at `offset`, checking its declared size against the buffer. */
function readDocument(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new ProtocolError('truncated document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`invalid document size ${size}`);
  if (size > MAX_BSON_BYTES + 16 * 1024)
    throw new ProtocolError(`document of ${size} bytes exceeds the 16 MiB limit`);
  try {
    return [
      BSON.deserialize(buf.subarray(offset, offset + size), {
        promoteLongs: false,
        promoteValues: true,
        validation: { utf8: true },
      }),
      offset + size,
    ];
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

export function parseFrame(frame: Frame): Request {
  const { body } = frame;
  if (frame.opCode === OP_MSG) {
    if (body.length < 5) throw new ProtocolError('OP_MSG too short');
    const flags = body.readUInt32LE(0);
    if (flags & ~KNOWN_FLAGS & 0xffff)
      throw new ProtocolError(`unknown required OP_MSG flag bits ${flags}`);
    let end = body.length;
    if (flags & FLAG_CHECKSUM_PRESENT) {
      // The trailer is a CRC-32C of the whole message before it; a mismatch is a damaged frame.
      end = body.length - 4;
      if (end < 5) throw new ProtocolError('OP_MSG too short for its checksum');
      const expected = body.readUInt32LE(end);
      const actual = crc32c(frame.raw.subarray(0, frame.raw.length - 4));
      if (expected !== actual) throw new ProtocolError('OP_MSG checksum mismatch');
    }
    let offset = 4;
    let command: Document | undefined;
    const sequences: [string, Document[]][] = [];
    while (offset < end) {
      const kind = body.readUInt8(offset);
      offset += 1;
      if (kind === 0) {
        if (command) throw new ProtocolError('OP_MSG with two body sections');
        const from = offset;
        [command, offset] = readDocument(body, offset, end);
        noteInsertDocuments(body.subarray(from, offset), command);
      } else if (kind === 1) {
        if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
        const size = body.readInt32LE(offset);
        const seqEnd = offset + size;
        if (size < 5 || seqEnd > end)
          throw new ProtocolError(`invalid document sequence size ${size}`);
        const [identifier, start] = readCString(body, offset + 4);
        let pos = start;
        const docs: Document[] = [];
        while (pos < seqEnd) {
          const from = pos;
          let doc: Document;
          [doc, pos] = readDocument(body, pos, seqEnd);
          arrivedAs.set(doc, body.subarray(from, pos));
          docs.push(doc);
        }
        sequences.push([identifier, docs]);
        offset = seqEnd;
      } else {
        throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!command) throw new ProtocolError('OP_MSG without a body section');
    for (const [identifier, docs] of sequences) command[identifier] = docs;
    return {
      requestId: frame.requestId,
      legacy: false,
      moreToCome: (flags & FLAG_MORE_TO_COME) !== 0,
      command,
    };
  }
  if (frame.opCode === OP_QUERY) {
    if (body.length < 4) throw new ProtocolError('OP_QUERY too short');
    const [collection, afterName] = readCString(body, 4);
    let offset = afterName;
    offset += 8; // numberToSkip, numberToReturn
    const [query] = readDocument(body, offset, body.length);
    if (!collection.endsWith('.$cmd'))
      throw new ProtocolError('OP_QUERY is only accepted for commands');
    // Legacy commands may be wrapped as { $query: {...} }.
    const command = (query.$query as Document | undefined) ?? query;
    command.$db ??= collection.slice(0, -'.$cmd'.length);
    return { requestId: frame.requestId, legacy: true, moreToCome: false, command };
  }
  if (frame.opCode === OP_COMPRESSED) throw new ProtocolError('compression was not negotiated');
  throw new ProtocolError(`unsupported opcode ${frame.opCode}`);
}

let nextRequestId = 1;

/** A reply frame in one buffer: header, the opcode's prefix (zeroed but for its fields), the document. */
export function encodeReply(request: Request, reply: Document): Buffer {
  const doc = serializeReply(reply);
  // OP_REPLY: responseFlags, cursorID (0), startingFrom, numberReturned (1); OP_MSG: flagBits 0, kind 0
  const prefix = request.legacy ? 20 : 5;
  const out = Buffer.allocUnsafe(HEADER_BYTES + prefix + doc.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  out.writeInt32LE(request.requestId, 8);
  out.writeInt32LE(request.legacy ? OP_REPLY : OP_MSG, 12);
  out.fill(0, HEADER_BYTES, HEADER_BYTES + prefix);
  if (request.legacy) out.writeInt32LE(1, HEADER_BYTES + 16);
  out.set(doc, HEADER_BYTES + prefix);
  return out;
}
