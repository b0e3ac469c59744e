// A stand-in for collab's service RPCs (seed, outline, version freeze, board cards) over real NATS, in Nest's
// wire format, for spaces' specs and the cross-service suites while collab is being built. It keeps
// what a document would hold (sections with text, budget lines) so tests can set up any state.
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { collabRpc, type DocOutline, type DocVersion, type RpcDef } from '@agora/proto';

export interface StandInDoc {
  seeded: boolean;
  sections: { key: string; heading: string; text: string }[];
  budget: DocOutline['budget'];
  seq: number;
}

export class CollabStandIn {
  readonly docs = new Map<string, StandInDoc>();
  /** Board cards by doc name, as a browser would have written them (`board-shape.ts`). */
  readonly boards = new Map<string, Map<string, Record<string, unknown>>>();
  readonly seedCalls: string[] = [];
  readonly freezes: DocVersion[] = [];
  private subs: Subscription[] = [];

  private constructor(private readonly nc: NatsConnection) {}

  /** Connects to `url` and starts answering (call `stop` to go away, `start` to come back). */
  static async start(url: string): Promise<CollabStandIn> {
    const nc = await connect({ servers: url, name: 'collab-stand-in' });
    const standIn = new CollabStandIn(nc);
    standIn.start();
    return standIn;
  }

  /** Answers again (after `pause`), in the queue group collab uses. */
  start(): void {
    if (this.subs.length > 0) return;
    this.subs = [
      this.answer(collabRpc.seed, (req) => {
        this.seedCalls.push(req.docName);
        const doc = this.docs.get(req.docName);
        if (doc?.seeded) return { seeded: false };
        this.docs.set(req.docName, {
          seeded: true,
          sections: req.sections.map((s) => ({ ...s, text: '' })),
          budget: [],
          seq: (doc?.seq ?? 0) + 1,
        });
        return { seeded: true };
      }),
      this.answer(collabRpc.outline, (req) => {
        const doc = this.docs.get(req.docName);
        return {
          docName: req.docName,
          sections: doc?.sections ?? [],
          budget: doc?.budget ?? [],
          size: JSON.stringify(doc ?? {}).length,
          seq: doc?.seq ?? 0,
        };
      }),
      this.answer(collabRpc.boardCards, (req) => ({
        docName: req.docName,
        cards: [
          ...(this.boards.get(req.docName) ?? new Map<string, Record<string, unknown>>()),
        ].map(([key, fields]) => ({ key, fields })),
        seq: 0,
      })),
      this.answer(collabRpc.versionFreeze, (req) => {
        const version: DocVersion = {
          id: randomBytes(12).toString('hex'),
          docName: req.docName,
          name: req.name,
          reason: req.reason,
          savedBy: req.savedBy,
          savedAt: new Date().toISOString(),
          seq: this.docs.get(req.docName)?.seq ?? 0,
          size: 0,
        };
        this.freezes.push(version);
        return version;
      }),
    ];
  }

  /** Stops answering: calls get no responder (collab down). */
  pause(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  /** Writes text into a section (as editors would), creating the doc if needed. */
  write(docName: string, key: string, text: string): void {
    const doc = this.docs.get(docName) ?? { seeded: true, sections: [], budget: [], seq: 0 };
    const section = doc.sections.find((s) => s.key === key);
    if (section) section.text = text;
    else doc.sections.push({ key, heading: key, text });
    doc.seq += 1;
    this.docs.set(docName, doc);
  }

  /** Fills every section with enough text to pass the 20-character rule. */
  fill(docName: string): void {
    for (const s of this.docs.get(docName)?.sections ?? [])
      this.write(docName, s.key, `The ${s.key} section, written by the team together.`);
  }

  /** Writes a card into a board's `cards` map under `key`. */
  writeCard(docName: string, key: string, fields: Record<string, unknown>): void {
    const board = this.boards.get(docName) ?? new Map<string, Record<string, unknown>>();
    board.set(key, fields);
    this.boards.set(docName, board);
  }

  setBudget(docName: string, budget: DocOutline['budget']): void {
    const doc = this.docs.get(docName) ?? { seeded: true, sections: [], budget: [], seq: 0 };
    doc.budget = budget;
    doc.seq += 1;
    this.docs.set(docName, doc);
  }

  async stop(): Promise<void> {
    this.pause();
    await this.nc.drain();
  }

  private answer<D extends RpcDef>(
    def: D,
    handle: (req: ReturnType<D['request']['parse']>) => unknown,
  ): Subscription {
    return this.nc.subscribe(def.subject, {
      queue: 'collab',
      callback: (err, msg) => {
        if (err) return;
        const packet = msg.json<{ id: string; data: unknown }>();
        const parsed = def.request.safeParse(packet.data);
        const reply = parsed.success
          ? { id: packet.id, response: handle(parsed.data as ReturnType<D['request']['parse']>) }
          : {
              id: packet.id,
              err: { code: 'VALIDATION_FAILED', message: parsed.error.message },
            };
        msg.respond(JSON.stringify(reply));
      },
    });
  }
}
