// A call and a proposal from "a call is open" to "our pilot project is funded", through the REAL
// gateway, identity and spaces (in process) over a real nats-server and the embedded store, with the
// collab stand-in answering collab's seed/outline/freeze RPCs: every REST route of spaces, its
// refusals with their codes, the email invitation that keeps its role until the invitee joins, and
// the proposal's room hearing status changes and the decision live.
import { randomBytes } from 'node:crypto';
import { bootstrapService, createLogger, type RunningService } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { IdentityModule, identityEnvSchema } from '@agora/identity';
import { SpacesModule, spacesEnvSchema } from '@agora/spaces';
import { CollabStandIn } from '@agora/spaces/testing';
import {
  authResponseSchema,
  callSchema,
  errorResponseSchema,
  proposalSchema,
  socketPath,
  spacesRoutes,
  type AuthResponse,
  type RouteDef,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@agora/proto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/store.js';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

const keys = testAccessKeys();
const adminEmail = 'admin@spaces.test';
const password = 'olive-press-by-the-harbour-27';
let nats: NatsServerHandle;
let store: TestStore;
let identity: RunningService;
let spaces: RunningService;
let collab: CollabStandIn;
let gw: TestGateway;
const sockets: Socket[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  store = await startTestStore({ name: 'spaces' });
  const common = {
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const identityConfig = identityEnvSchema.parse({
    ...common,
    AUTH_SIGNING_KEY: keys.signingKey,
    ADMIN_EMAIL: adminEmail,
  });
  identity = await bootstrapService({
    service: 'identity',
    module: IdentityModule.forRoot({ config: identityConfig }),
    config: identityConfig,
    logger: createLogger('identity', 'silent'),
    handleSignals: false,
  });
  const spacesConfig = spacesEnvSchema.parse({ ...common, CALL_CLOSE_INTERVAL_MS: '500' });
  spaces = await bootstrapService({
    service: 'spaces',
    module: SpacesModule.forRoot({ config: spacesConfig }),
    config: spacesConfig,
    logger: createLogger('spaces', 'silent'),
    handleSignals: false,
  });
  collab = await CollabStandIn.start(nats.url);
  await Promise.all([identity.rpcReady, spaces.rpcReady]);
  gw = await startTestGateway({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await gw?.stop();
  await collab?.stop();
  await spaces?.shutdown();
  await identity?.shutdown();
  await store?.stop();
  await nats?.stop();
});

interface Call {
  method?: string;
  token?: string;
  json?: unknown;
}

function api(path: string, call: Call = {}): Promise<Response> {
  const headers = new Headers({ 'x-forwarded-for': freshIp(), 'user-agent': 'spaces-test' });
  if (call.token) headers.set('authorization', `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(call.json);
  }
  return fetch(`${gw.base}/api${path}`, { method: call.method ?? 'GET', headers, body });
}

async function json<T = unknown>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function refused(res: Response, status: number, code: string) {
  const body = errorResponseSchema.parse(await json(res, status));
  expect(body.error.code).toBe(code);
  return body.error;
}

type Account = AuthResponse & { email: string };

async function register(
  email = `m-${randomBytes(4).toString('hex')}@spaces.test`,
  extra: Record<string, unknown> = {},
): Promise<Account> {
  const res = await api('/auth/register', {
    method: 'POST',
    json: {
      email,
      password,
      displayName: 'Spaces Tester',
      country: 'TN',
      preferredLanguage: 'ar',
      ...extra,
    },
  });
  return { ...authResponseSchema.parse(await json(res, 201)), email };
}

async function login(email: string): Promise<Account> {
  const res = await api('/auth/login', { method: 'POST', json: { email, password } });
  return { ...authResponseSchema.parse(await json(res, 200)), email };
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
async function connect(token: string): Promise<Client> {
  const s: Client = io(gw.base, {
    path: socketPath,
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { 'X-Forwarded-For': freshIp() },
  });
  sockets.push(s);
  await new Promise((resolve, reject) => {
    s.once('ready', resolve);
    s.once('connect_error', reject);
  });
  return s;
}

describe('spaces through the gateway: a call, a proposal, its team, its lifecycle', () => {
  let admin: Account;
  let facilitator: Account;
  let lead: Account;
  let coAuthor: Account;
  let reviewer: Account;
  let stranger: Account;
  let callId: string;
  let proposalId: string;
  let docName: string;

  beforeAll(async () => {
    admin = await register(adminEmail);
    const f = await register();
    await json(
      await api(`/admin/members/${f.user.id}/role`, {
        method: 'PATCH',
        token: admin.accessToken,
        json: { role: 'facilitator' },
      }),
      200,
    );
    // a fresh sign-in carries the new role in its token
    facilitator = await login(f.email);
    [lead, coAuthor, reviewer, stranger] = await Promise.all([
      register(),
      register(),
      register(),
      register(),
    ]);
  });

  it('refuses every spaces route without a token (401)', async () => {
    const id = 'a'.repeat(24);
    for (const route of Object.values(spacesRoutes) as RouteDef[]) {
      const path = route.path.replace(':callId', id).replace(':memberId', id).replace(':id', id);
      const res = await api(path, { method: route.method, json: route.body ? {} : undefined });
      await refused(res, 401, 'UNAUTHENTICATED');
    }
  });

  it('lets a facilitator create and publish a call; a member may not create one', async () => {
    const body = {
      title: 'MedTOWN pilot projects 2027',
      description: 'Co-production pilots in six countries',
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
      timeZone: 'Africa/Tunis',
      totalBudget: 29_000_000,
      maxPerProject: 2_900_000,
      criteria: [
        { key: 'relevance', title: 'Relevance', weight: 3 },
        { key: 'co-production', title: 'Co-production', weight: 2 },
      ],
    };
    await refused(
      await api('/calls', { method: 'POST', token: lead.accessToken, json: body }),
      403,
      'FORBIDDEN',
    );
    await refused(
      await api('/calls', {
        method: 'POST',
        token: facilitator.accessToken,
        json: { ...body, totalBudget: 12.5 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const draft = callSchema.parse(
      await json(
        await api('/calls', { method: 'POST', token: facilitator.accessToken, json: body }),
        201,
      ),
    );
    expect(draft).toMatchObject({ status: 'draft', currency: 'EUR', timeZone: 'Africa/Tunis' });
    callId = draft.id;
    // a draft is its owners' alone
    await refused(await api(`/calls/${callId}`, { token: lead.accessToken }), 403, 'FORBIDDEN');
    const edited = await json<{ title: string }>(
      await api(`/calls/${callId}`, {
        method: 'PATCH',
        token: facilitator.accessToken,
        json: { title: 'MedTOWN pilots 2027' },
      }),
      200,
    );
    expect(edited.title).toBe('MedTOWN pilots 2027');
    const open = await json<{ status: string }>(
      await api(`/calls/${callId}/publish`, { method: 'POST', token: facilitator.accessToken }),
      200,
    );
    expect(open.status).toBe('open');
    await refused(
      await api(`/calls/${callId}`, {
        method: 'PATCH',
        token: facilitator.accessToken,
        json: { title: 'Changed after publishing' },
      }),
      409,
      'INVALID_STATE',
    );
    const list = await json<{ items: { id: string }[] }>(
      await api('/calls?status=open', { token: lead.accessToken }),
      200,
    );
    expect(list.items.map((c) => c.id)).toContain(callId);
  });

  it('starts a proposal: 201 with its docName, the caller leads, the document is seeded; strangers are refused', async () => {
    const created = proposalSchema.parse(
      await json(
        await api(`/calls/${callId}/proposals`, {
          method: 'POST',
          token: lead.accessToken,
          json: { title: 'Solidarity kitchens in Sfax' },
        }),
        201,
      ),
    );
    proposalId = created.id;
    docName = created.docName;
    expect(created).toMatchObject({
      docName: `proposal:${created.id}`,
      status: 'draft',
      myRole: 'lead',
    });
    await expect
      .poll(
        async () =>
          (
            await json<{ seeded: boolean }>(
              await api(`/proposals/${proposalId}`, { token: lead.accessToken }),
              200,
            )
          ).seeded,
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(collab.docs.get(docName)?.sections).toHaveLength(8);
    await refused(
      await api(`/proposals/${proposalId}`, { token: stranger.accessToken }),
      403,
      'FORBIDDEN',
    );
    await refused(
      await api(`/spaces/${proposalId}/members`, { token: stranger.accessToken }),
      403,
      'FORBIDDEN',
    );
    await refused(
      await api(`/proposals/${'0'.repeat(24)}`, { token: lead.accessToken }),
      404,
      'NOT_FOUND',
    );
    const mine = await json<{ items: { id: string }[] }>(
      await api('/proposals?mine=true&q=kitch', { token: lead.accessToken }),
      200,
    );
    expect(mine.items.map((p) => p.id)).toEqual([proposalId]);
  });

  it('builds the team: by member id, by email invitation kept until the invitee joins, the last lead kept', async () => {
    const added = await json<{ role: string }>(
      await api(`/spaces/${proposalId}/members`, {
        method: 'POST',
        token: lead.accessToken,
        json: { memberId: coAuthor.user.id, role: 'co-author' },
      }),
      201,
    );
    expect(added.role).toBe('co-author');
    await refused(
      await api(`/spaces/${proposalId}/members`, {
        method: 'POST',
        token: lead.accessToken,
        json: { memberId: coAuthor.user.id, role: 'viewer' },
      }),
      409,
      'CONFLICT',
    );
    // a co-author does not manage the team
    await refused(
      await api(`/spaces/${proposalId}/members`, {
        method: 'POST',
        token: coAuthor.accessToken,
        json: { memberId: stranger.user.id, role: 'viewer' },
      }),
      403,
      'FORBIDDEN',
    );
    // invitation by email: refused before any mail goes out for someone who may not invite
    const address = `invitee-${randomBytes(3).toString('hex')}@spaces.test`;
    await refused(
      await api(`/spaces/${proposalId}/members`, {
        method: 'POST',
        token: coAuthor.accessToken,
        json: { email: address, role: 'commenter' },
      }),
      403,
      'FORBIDDEN',
    );
    const pending = await json<{ status: string; invitationId: string }>(
      await api(`/spaces/${proposalId}/members`, {
        method: 'POST',
        token: lead.accessToken,
        json: { email: address, role: 'commenter', message: 'Join our proposal' },
      }),
      201,
    );
    expect(pending.status).toBe('invited');
    let token = '';
    await expect
      .poll(
        async () => {
          const box = await json<{ items: { to: string; text: string }[] }>(
            await api('/admin/mailbox', { token: admin.accessToken }),
            200,
          );
          const text = box.items.find((m) => m.to === address)?.text ?? '';
          token = decodeURIComponent(/invite=([^\s"&<]+)/.exec(text)?.[1] ?? '');
          return token;
        },
        { timeout: 30_000, interval: 300 },
      )
      .not.toBe('');
    const invitee = await register(address, { invitationToken: token });
    await expect
      .poll(
        async () => {
          const members = await json<{ items: { memberId: string; role: string }[] }>(
            await api(`/spaces/${proposalId}/members`, { token: lead.accessToken }),
            200,
          );
          return members.items.find((m) => m.memberId === invitee.user.id)?.role;
        },
        { timeout: 15_000 },
      )
      .toBe('commenter');
    // the commenter reads the proposal; the last lead stays lead
    await json(await api(`/proposals/${proposalId}`, { token: invitee.accessToken }), 200);
    await refused(
      await api(`/spaces/${proposalId}/members/${lead.user.id}`, {
        method: 'PATCH',
        token: lead.accessToken,
        json: { role: 'viewer' },
      }),
      409,
      'CONFLICT',
    );
    await refused(
      await api(`/spaces/${proposalId}/members/${lead.user.id}`, {
        method: 'DELETE',
        token: lead.accessToken,
      }),
      409,
      'CONFLICT',
    );
    // the commenter leaves: 204
    const left = await api(`/spaces/${proposalId}/members/${invitee.user.id}`, {
      method: 'DELETE',
      token: invitee.accessToken,
    });
    expect(left.status).toBe(204);
  });

  it('submits only a complete document within the cap (422 lists each check), then reviews and decides', async () => {
    const socket = await connect(lead.accessToken);
    const statuses: unknown[] = [];
    const decisions: unknown[] = [];
    socket.on('proposal.status', (p) => statuses.push(p));
    socket.on('proposal.decided', (p) => decisions.push(p));
    const joined = (await socket
      .timeout(10_000)
      .emitWithAck('space.join', { spaceId: proposalId })) as unknown;
    expect(joined).toEqual({ ok: true, data: { spaceId: proposalId, role: 'lead' } });

    const empty = await refused(
      await api(`/proposals/${proposalId}/submit`, { method: 'POST', token: lead.accessToken }),
      422,
      'UNPROCESSABLE',
    );
    expect((empty.details as unknown[]).length).toBe(8);
    collab.fill(docName);
    collab.setBudget(docName, [
      { category: 'staff', description: 'trainers', quantity: 100, unitCost: 30_000, valid: true },
    ]);
    const over = await refused(
      await api(`/proposals/${proposalId}/submit`, { method: 'POST', token: lead.accessToken }),
      422,
      'UNPROCESSABLE',
    );
    expect(over.details).toEqual([
      expect.objectContaining({
        check: 'budget-over-cap',
        total: 3_000_000,
        maxPerProject: 2_900_000,
      }),
    ]);
    collab.setBudget(docName, [
      { category: 'staff', description: 'trainers', quantity: 90, unitCost: 30_000, valid: true },
    ]);
    await refused(
      await api(`/proposals/${proposalId}/submit`, { method: 'POST', token: coAuthor.accessToken }),
      403,
      'FORBIDDEN',
    );
    const submitted = proposalSchema.parse(
      await json(
        await api(`/proposals/${proposalId}/submit`, { method: 'POST', token: lead.accessToken }),
        200,
      ),
    );
    expect(submitted.status).toBe('submitted');
    expect(submitted.myRight).toBe('read');
    expect(submitted.submissions[0]?.versionId).toBe(collab.freezes.at(-1)?.id);
    await refused(
      await api(`/proposals/${proposalId}/submit`, { method: 'POST', token: lead.accessToken }),
      409,
      'INVALID_STATE',
    );

    // a co-author cannot decide; only the call's owner assigns reviewers
    await refused(
      await api(`/proposals/${proposalId}/decision`, {
        method: 'POST',
        token: coAuthor.accessToken,
        json: { outcome: 'funded', note: 'we fund ourselves' },
      }),
      403,
      'FORBIDDEN',
    );
    await refused(
      await api(`/proposals/${proposalId}/reviewers`, {
        method: 'POST',
        token: lead.accessToken,
        json: { memberId: reviewer.user.id },
      }),
      403,
      'FORBIDDEN',
    );
    const inReview = await json<{ status: string }>(
      await api(`/proposals/${proposalId}/reviewers`, {
        method: 'POST',
        token: facilitator.accessToken,
        json: { memberId: reviewer.user.id },
      }),
      200,
    );
    expect(inReview.status).toBe('in-review');
    // the reviewer's queue
    const queue = await json<{ items: { id: string }[] }>(
      await api('/proposals?reviewing=true', { token: reviewer.accessToken }),
      200,
    );
    expect(queue.items.map((p) => p.id)).toEqual([proposalId]);
    await refused(
      await api(`/proposals/${proposalId}/reviews`, {
        method: 'POST',
        token: reviewer.accessToken,
        json: { scores: [{ criterion: 'relevance', score: 9, comment: 'Very' }] },
      }),
      422,
      'UNPROCESSABLE',
    );
    const review = await json<{ weightedScore: number }>(
      await api(`/proposals/${proposalId}/reviews`, {
        method: 'POST',
        token: reviewer.accessToken,
        json: {
          scores: [
            { criterion: 'relevance', score: 9, comment: 'Rooted in Sfax' },
            { criterion: 'co-production', score: 6, comment: 'More partners from academia' },
          ],
          comment: 'Fund it',
        },
      }),
      201,
    );
    expect(review.weightedScore).toBe(7.8);
    // the team sees no review before the decision
    expect(
      (
        await json<{ items: unknown[] }>(
          await api(`/proposals/${proposalId}/reviews`, { token: lead.accessToken }),
          200,
        )
      ).items,
    ).toEqual([]);

    const funded = await json<{ status: string }>(
      await api(`/proposals/${proposalId}/decision`, {
        method: 'POST',
        token: facilitator.accessToken,
        json: { outcome: 'funded', note: 'Congratulations' },
      }),
      200,
    );
    expect(funded.status).toBe('funded');
    await refused(
      await api(`/proposals/${proposalId}/withdraw`, { method: 'POST', token: lead.accessToken }),
      409,
      'INVALID_STATE',
    );
    // the team sees the decision and the reviewers' feedback
    const seen = proposalSchema.parse(
      await json(await api(`/proposals/${proposalId}`, { token: lead.accessToken }), 200),
    );
    expect(seen.decision).toMatchObject({ outcome: 'funded', note: 'Congratulations' });
    const reviews = await json<{ items: { comment: string }[] }>(
      await api(`/proposals/${proposalId}/reviews`, { token: lead.accessToken }),
      200,
    );
    expect(reviews.items.map((r) => r.comment)).toEqual(['Fund it']);
    // and heard it all live in the proposal's room
    await expect
      .poll(() => statuses, { timeout: 10_000 })
      .toEqual([
        { spaceId: proposalId, status: 'submitted' },
        { spaceId: proposalId, status: 'in-review' },
        { spaceId: proposalId, status: 'funded' },
      ]);
    expect(decisions).toEqual([{ spaceId: proposalId, outcome: 'funded' }]);
  });

  it('keeps a stranger out of the proposal room', async () => {
    const socket = await connect(stranger.accessToken);
    const reply = (await socket
      .timeout(10_000)
      .emitWithAck('space.join', { spaceId: proposalId })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
