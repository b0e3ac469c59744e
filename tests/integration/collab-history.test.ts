// Collab's history side (issue 9, deliverables 5 and 6) with real parts: a collab replica and a
// gateway in process on one nats-server and the embedded store, a stand-in spaces (doc.access),
// a stock y-websocket editor, the REST routes under /api/docs/{docName}/versions, spaces' service
// calls (seed, outline, freeze) over the bus, the debounced change feed and the compactor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { MongoClient } from 'mongodb';
import { DocStore } from '@agora/collab';
import { RpcClient } from '@agora/platform';
import {
  collabEvents,
  collabRpc,
  docSubject,
  envelopeSchema,
  streams,
  type DocVersion,
  type Envelope,
} from '@agora/proto';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';
import { startTestGateway, type TestGateway } from './gateway-fixture.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const docName = `proposal:${hex(0x5eed01)}`;
const lead = hex(11);
const reader = hex(12);
const stranger = hex(13);

let hub: CollabHub;
let replica: CollabReplica;
let gw: TestGateway;
let spaces: RpcClient;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  hub = await startCollabHub('collab-history', {
    replicas: 1,
    env: {
      COLLAB_FEED_QUIET_MS: '400',
      COLLAB_FEED_MAX_WAIT_MS: '5000',
      COLLAB_COMPACT_UPDATES: '25',
      COLLAB_COMPACT_POLL_MS: '200',
      COLLAB_COMPACT_IDLE_MS: '60000',
    },
  });
  replica = hub.replicas[0] as CollabReplica;
  gw = await startTestGateway({ NATS_URL: hub.nats.url, AUTH_PUBLIC_KEY: hub.keys.publicKey });
  spaces = new RpcClient(hub.bus);
  hub.setRight(lead, docName, 'write');
  hub.setRight(reader, docName, 'read');
}, 60_000);

afterAll(async () => {
  for (const p of providers) p.destroy();
  await gw?.stop();
  await hub?.stop();
});

async function api(
  method: string,
  path: string,
  member: string | null,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (member) headers.authorization = `Bearer ${await hub.tokenFor(member)}`;
  const res = await fetch(`${gw.base}/api${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const versions = `/docs/${docName}/versions`;

async function editor(member: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${replica.wsBase}/collab`, docName, doc, {
    params: { token: await hub.tokenFor(member) },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  });
  providers.push(provider);
  return { doc, provider };
}
const synced = (p: WebsocketProvider) =>
  p.synced ? Promise.resolve() : new Promise<void>((r) => p.once('sync', () => r()));

/** The body's blocks' text joined by `|` (what an editor shows, structure aside). */
const blocksOf = (doc: Y.Doc) =>
  doc
    .getXmlFragment('default')
    .toArray()
    .map((b) =>
      b instanceof Y.XmlElement
        ? b
            .toArray()
            .map((t) => (t instanceof Y.XmlText ? t.toJSON() : ''))
            .join('')
        : '',
    )
    .join('|');

async function collabEventsOf(type: string): Promise<Envelope[]> {
  const info = await hub.bus.jsm.streams.info(streams.collabEvents.name);
  const out: Envelope[] = [];
  if (info.state.messages === 0) return out;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
    const m = await hub.bus.jsm.streams.getMessage(streams.collabEvents.name, { seq });
    if (m) out.push(envelopeSchema.parse(m.json()));
  }
  return out.filter((e) => e.type === type);
}

/** Types `text` into the paragraph after the heading of `section`, one update per character. */
function typeInto(doc: Y.Doc, section: string, text: string): void {
  const blocks = doc.getXmlFragment('default').toArray() as Y.XmlElement[];
  const at = blocks.findIndex((b) => b.getAttribute('section') === section);
  const paragraph = blocks[at + 1] as Y.XmlElement;
  let t = paragraph.get(0) as Y.XmlText | null;
  if (!t) {
    t = new Y.XmlText();
    paragraph.insert(0, [t]);
  }
  for (const ch of text) t.insert(t.length, ch);
}

describe('collab history through the gateway and the bus', () => {
  let first: DocVersion;

  it('seeds the skeleton once for spaces, and an editor sees it', async () => {
    const sections = [
      { key: 'summary', heading: 'Summary' },
      { key: 'budget', heading: 'Budget' },
    ];
    const [a, b] = await Promise.all([
      spaces.call(collabRpc.seed, { docName, sections }),
      spaces.call(collabRpc.seed, { docName, sections }),
    ]);
    expect([a.seeded, b.seeded].sort()).toEqual([false, true]);
    const { doc, provider } = await editor(lead);
    await synced(provider);
    await until(() => expect(blocksOf(doc)).toBe('Summary||Budget|'));
    await expect(
      spaces.call(collabRpc.seed, { docName: 'proposal:not-hex', sections }),
    ).rejects.toMatchObject({ body: { code: 'VALIDATION_FAILED' } });
  });

  it('announces many keystrokes as one debounced doc.changed naming the editor', async () => {
    const { doc, provider } = await editor(lead);
    await synced(provider);
    typeInto(doc, 'summary', 'Olive co-op in Sfax.');
    await until(async () => {
      const changed = (await collabEventsOf(collabEvents.docChanged.type)).filter(
        (e) => e.subject === docName,
      );
      expect(changed.length).toBeGreaterThan(0);
      const data = changed.map((e) => e.data as { memberIds: string[]; updates: number });
      expect(data.flatMap((d) => d.memberIds)).toContain(lead);
      // 20 keystrokes (and the seed) never make 20 events
      expect(changed.length).toBeLessThan(5);
    });
  });

  it('saves, lists, opens and diffs versions over REST, with rights from spaces', async () => {
    const saved = await api('POST', versions, lead, { name: 'First draft' });
    expect(saved.status).toBe(201);
    first = saved.json as unknown as DocVersion;
    expect(first).toMatchObject({ name: 'First draft', reason: 'manual', savedBy: lead, docName });

    const list = await api('GET', versions, reader);
    expect(list.status).toBe(200);
    expect((list.json.items as DocVersion[]).map((v) => v.id)).toEqual([first.id]);

    const one = await api('GET', `${versions}/${first.id}`, reader);
    expect(one.status).toBe(200);
    expect(one.json.markdown).toBe('## Summary\n\nOlive co-op in Sfax.\n\n## Budget\n');
    expect(one.json.text).toBe('Summary\nOlive co-op in Sfax.\nBudget\n');

    const { doc, provider } = await editor(lead);
    await synced(provider);
    typeInto(doc, 'budget', 'Two buses.');
    await until(async () => {
      const diff = await api('GET', `${versions}/${first.id}/diff?to=current`, reader);
      expect(diff.status).toBe(200);
      expect(diff.json.to).toBeNull();
      expect(
        (diff.json.parts as { op: string; text: string }[]).filter((p) => p.op !== 'equal'),
      ).toEqual([{ op: 'insert', text: 'Two buses.' }]);
    });

    await expect(
      spaces.call(collabRpc.versionFreeze, {
        docName,
        name: 'Submitted',
        reason: 'submitted',
        savedBy: lead,
      }),
    ).resolves.toMatchObject({ reason: 'submitted' });
    const events = await until(async () => {
      const got = (await collabEventsOf(collabEvents.versionSaved.type)).filter(
        (e) => e.subject === docName,
      );
      expect(got).toHaveLength(2);
      return got;
    });
    expect(events.map((e) => (e.data as { reason: string }).reason)).toEqual([
      'manual',
      'submitted',
    ]);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const res = await fetch(`${gw.base}/api/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const paths = Object.keys(doc.paths).filter((p) => p.includes('/docs/'));
    expect(paths.sort()).toEqual(
      [
        '/api/docs/{docName}/versions',
        '/api/docs/{docName}/versions/{versionId}',
        '/api/docs/{docName}/versions/{versionId}/diff',
        '/api/docs/{docName}/versions/{versionId}/restore',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/api/docs/{docName}/versions'] ?? {}).sort()).toEqual([
      'get',
      'post',
    ]);
  });

  it('refuses without a token, without a right, with read only, and for malformed or unknown ids', async () => {
    expect((await api('GET', versions, null)).status).toBe(401);
    expect((await api('GET', versions, stranger)).status).toBe(403);
    expect((await api('POST', versions, reader, { name: 'mine' })).status).toBe(403);
    expect((await api('POST', `${versions}/${first.id}/restore`, reader)).status).toBe(403);
    expect((await api('POST', versions, lead, { name: '' })).status).toBe(400);
    expect((await api('GET', `/docs/proposal:xyz/versions`, lead)).status).toBe(400);
    expect((await api('GET', `${versions}/${'f'.repeat(24)}`, lead)).status).toBe(404);
    expect((await api('GET', `${versions}/${first.id}/diff?to=yesterday`, lead)).status).toBe(400);
  });

  it('restores a version as a new change every editor receives, and saves it as restored', async () => {
    const { doc, provider } = await editor(reader);
    await synced(provider);
    await until(() => expect(blocksOf(doc)).toBe('Summary|Olive co-op in Sfax.|Budget|Two buses.'));
    const restored = await api('POST', `${versions}/${first.id}/restore`, lead);
    expect(restored.status).toBe(201);
    expect(restored.json).toMatchObject({ reason: 'restored', name: 'Restored: First draft' });
    await until(() => expect(blocksOf(doc)).toBe('Summary|Olive co-op in Sfax.|Budget|'));
    const diff = await api(
      'GET',
      `${versions}/${first.id}/diff?to=${String(restored.json.id)}`,
      lead,
    );
    expect((diff.json.parts as { op: string }[]).every((p) => p.op === 'equal')).toBe(true);
    const list = await api('GET', versions, reader);
    expect((list.json.items as DocVersion[]).map((v) => v.reason)).toEqual([
      'restored',
      'submitted',
      'manual',
    ]);
  });

  it('gives spaces the outline from the durable state', async () => {
    const outline = await spaces.call(collabRpc.outline, { docName });
    expect(outline.sections).toEqual([
      { key: 'summary', heading: 'Summary', text: 'Olive co-op in Sfax.' },
      { key: 'budget', heading: 'Budget', text: '' },
    ]);
    expect(outline.seq).toBeGreaterThan(0);
  });

  it('compacts the log into a snapshot while the service runs; a late joiner still gets everything', async () => {
    const { doc, provider } = await editor(lead);
    await synced(provider);
    const entries = async () => {
      const info = await hub.bus.jsm.streams.info(streams.collab.name, { subjects_filter: '>' });
      return info.state.subjects?.[docSubject(docName)] ?? 0;
    };
    const snapshotSeq = async () => {
      const client = new MongoClient(hub.store.url);
      try {
        const head = await client
          .db('agora_collab')
          .collection<{ _id: string; seq: number }>('snapshots')
          .findOne({ _id: docName });
        return head?.seq ?? 0;
      } finally {
        await client.close();
      }
    };
    // one keystroke per batch: 40 log entries, past COLLAB_COMPACT_UPDATES (25)
    for (const ch of ' Venue in Sousse, forty seats, lunch.') {
      typeInto(doc, 'budget', ch);
      await new Promise((r) => setTimeout(r, 15));
    }
    const expected = blocksOf(doc);
    await until(async () => {
      expect(await snapshotSeq()).toBeGreaterThan(0);
      expect(await entries()).toBeLessThan(25);
    }, 20_000);
    const late = await editor(reader);
    await synced(late.provider);
    await until(() => expect(blocksOf(late.doc)).toBe(expected));
    const fresh = await replica.service!.app.get(DocStore).loadDurable(docName);
    expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(Y.encodeStateAsUpdate(late.doc));
    // editing goes on on top of the snapshot, and reaches the late joiner
    typeInto(doc, 'summary', ' Since 2019.');
    await until(() => expect(blocksOf(late.doc)).toBe(blocksOf(doc)));
    await until(async () => {
      const again = await replica.service!.app.get(DocStore).loadDurable(docName);
      expect(blocksOf(again.doc)).toContain('Olive co-op in Sfax. Since 2019.');
    });
  }, 30_000);
});
