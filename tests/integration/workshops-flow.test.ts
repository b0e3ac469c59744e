// A national workshop from "published" to "who came", through the REAL gateway, identity, spaces and
// one collab replica (in process) over a real nats-server and the embedded store: twenty members
// racing for the last place, the waiting list promoted in order by a cancellation and a raised
// capacity, attendance kept to the facilitators, a private community's notes closed to outsiders
// over REST and over the collab socket, and the member's iCal feed read by ical.js.
import { randomBytes } from 'node:crypto';
import { bootstrapService, createLogger, type RunningService } from '@agora/platform';
import {
  freePort,
  startNatsServer,
  testAccessKeys,
  type NatsServerHandle,
} from '@agora/platform/testing';
import { IdentityModule, identityEnvSchema } from '@agora/identity';
import { SpacesModule, spacesEnvSchema } from '@agora/spaces';
import { attachCollabSockets, CollabModule, collabEnvSchema } from '@agora/collab';
import {
  authResponseSchema,
  calendarFeedInfoSchema,
  calendarRoutes,
  communityRoutes,
  communitySchema,
  errorResponseSchema,
  registrationStatusSchema,
  rosterSchema,
  socketPath,
  spaceSummarySchema,
  workshopRoutes,
  workshopSchema,
  type AuthResponse,
  type RouteDef,
  type ClientToServerEvents,
  type RegistrationStatus,
  type ServerToClientEvents,
  type WorkshopView,
} from '@agora/proto';
import ICAL from 'ical.js';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestStore, type TestStore } from '../support/store.js';
import { until } from './collab-fixture.js';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

const keys = testAccessKeys();
const adminEmail = 'admin@workshops.test';
const password = 'phoenix-rising-over-carthage-27';
let nats: NatsServerHandle;
let store: TestStore;
let identity: RunningService;
let spaces: RunningService;
let collab: RunningService;
let collabBase: string;
let gw: TestGateway;
const sockets: Socket[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  store = await startTestStore({ name: 'workshops' });
  const common = {
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    LOG_LEVEL: 'silent',
  };
  const identityConfig = identityEnvSchema.parse({
    ...common,
    HEALTH_PORT: '0',
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
  const spacesConfig = spacesEnvSchema.parse({
    ...common,
    HEALTH_PORT: '0',
    PUBLIC_URL: 'http://agora.test',
  });
  spaces = await bootstrapService({
    service: 'spaces',
    module: SpacesModule.forRoot({ config: spacesConfig }),
    config: spacesConfig,
    logger: createLogger('spaces', 'silent'),
    handleSignals: false,
  });
  const collabPort = await freePort();
  const collabConfig = collabEnvSchema.parse({
    ...common,
    HEALTH_PORT: String(collabPort),
    COLLAB_REPLICA_ID: 'w1',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
  collab = await bootstrapService({
    service: 'collab',
    module: CollabModule.forRoot({
      config: collabConfig,
      logger: createLogger('collab', 'silent'),
    }),
    config: collabConfig,
    logger: createLogger('collab', 'silent'),
    handleSignals: false,
    configure: attachCollabSockets,
  });
  collabBase = `ws://127.0.0.1:${collabPort}`;
  await Promise.all([identity.rpcReady, spaces.rpcReady, collab.rpcReady]);
  gw = await startTestGateway({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await gw?.stop();
  await collab?.shutdown();
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
  const headers = new Headers({ 'x-forwarded-for': freshIp(), 'user-agent': 'workshops-test' });
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
}

type Account = AuthResponse & { email: string };

async function register(email = `m-${randomBytes(4).toString('hex')}@workshops.test`) {
  const res = await api('/auth/register', {
    method: 'POST',
    json: {
      email,
      password,
      displayName: 'Workshop Tester',
      country: 'TN',
      preferredLanguage: 'fr',
    },
  });
  return { ...authResponseSchema.parse(await json(res, 201)), email } as Account;
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

/** How a collab connection ends: its close code, or `open` if it is still syncing after a while. */
function collabOutcome(docName: string, token: string): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${collabBase}/collab/${docName}?token=${token}`);
    const timer = setTimeout(() => {
      ws.close();
      resolve('open');
    }, 1_500);
    ws.on('error', reject);
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function feedOf(url: string) {
  const res = await fetch(url, { headers: { 'x-forwarded-for': freshIp() } });
  return res;
}

/** The feed's events, their zones registered with ical.js from the feed's own VTIMEZONEs. */
function parseFeed(text: string) {
  // ical.js types `parse` as any: a calendar text parses to one jCal component array.
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const tz of calendar.getAllSubcomponents('vtimezone'))
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

const lisbonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Lisbon',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

describe('national workshops through the gateway', () => {
  let facilitator: Account;
  let members: Account[];
  let outsider: Account;
  let workshop: WorkshopView;

  beforeAll(async () => {
    const admin = await register(adminEmail);
    const f = await register();
    await json(
      await api(`/admin/members/${f.user.id}/role`, {
        method: 'PATCH',
        token: admin.accessToken,
        json: { role: 'facilitator' },
      }),
      200,
    );
    facilitator = await login(f.email);
    members = [];
    for (let i = 0; i < 21; i += 1) members.push(await register());
    outsider = await register();
  });

  it('refuses every workshop, community and calendar route without a token (401) but the feed; bad input is 400', async () => {
    const id = 'a'.repeat(24);
    const routes = [
      ...Object.values(workshopRoutes),
      ...Object.values(communityRoutes),
      ...Object.values(calendarRoutes),
    ] as RouteDef[];
    for (const route of routes.filter((r) => r.auth !== 'public')) {
      const path = route.path
        .replace(':attendeeId', id)
        .replace(':country', 'TN')
        .replace(':id', id);
      const res = await api(path, { method: route.method, json: route.body ? {} : undefined });
      await refused(res, 401, 'UNAUTHENTICATED');
    }
    await refused(await api(`/calendar/${'x'.repeat(43)}.ics`), 404, 'NOT_FOUND');
    await refused(await api('/calendar/short.ics'), 400, 'VALIDATION_FAILED');
    await refused(
      await api('/workshops', {
        method: 'POST',
        token: facilitator.accessToken,
        json: { title: 'No', country: 'TN', language: 'fr', format: 'online', capacity: 0 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      await api('/workshops', {
        method: 'POST',
        token: facilitator.accessToken,
        json: {
          title: 'Backwards',
          country: 'TN',
          language: 'fr',
          format: 'online',
          startsAt: '2027-03-01T12:00',
          endsAt: '2027-03-01T10:00',
          timeZone: 'Africa/Tunis',
          capacity: 10,
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      await api('/communities/national/ZZ', { token: facilitator.accessToken }),
      404,
      'NOT_FOUND',
    );
  });

  it('lets facilitators create a workshop in their place’s zone; members may not', async () => {
    const body = {
      title: 'Atelier national — Tunis',
      country: 'TN',
      language: 'fr',
      format: 'onsite',
      // 10:00 in Tunis (UTC+1, no summer time) on a winter day: 09:00 in Lisbon (UTC+0).
      startsAt: '2027-01-20T10:00',
      endsAt: '2027-01-20T13:00',
      timeZone: 'Africa/Tunis',
      capacity: 1,
      place: 'Cité de la Culture, Tunis',
      link: 'https://meet.example.org/phoenix',
    };
    await refused(
      await api('/workshops', { method: 'POST', token: members[0]!.accessToken, json: body }),
      403,
      'FORBIDDEN',
    );
    workshop = workshopSchema.parse(
      await json(
        await api('/workshops', { method: 'POST', token: facilitator.accessToken, json: body }),
        201,
      ),
    );
    expect(workshop).toMatchObject({
      status: 'published',
      startsAt: '2027-01-20T09:00:00.000Z',
      timeZone: 'Africa/Tunis',
      docName: `notes:${workshop.id}`,
      myRole: 'facilitator',
      canManage: true,
      registeredCount: 0,
    });
    expect(workshop.agenda.map((s) => s.key)).toContain('first-flight');
    expect(workshop.agenda[0]?.title).toBe('Accueil et tour de table');
    // the national community exists from now on, and the facilitator trains in it
    const national = communitySchema.parse(
      await json(await api('/communities/national/TN', { token: facilitator.accessToken }), 200),
    );
    expect(national).toMatchObject({
      id: workshop.communityId,
      type: 'national',
      title: 'Tunisia',
    });
    expect(national.myRole).toBe('moderator');
    expect(national.myRight).toBe('write');
    // a member sees it without the meeting link
    const seen = workshopSchema.parse(
      await json(await api(`/workshops/${workshop.id}`, { token: members[0]!.accessToken }), 200),
    );
    expect(seen.link).toBe('');
    expect(seen.myRegistration).toEqual({ status: 'none' });
  });

  it('gives the last place to exactly one of 20 concurrent registrations, and waitlists 19 in order', async () => {
    const racers = members.slice(0, 20);
    const answers = await Promise.all(
      racers.map(async (m) =>
        registrationStatusSchema.parse(
          await json(
            await api(`/workshops/${workshop.id}/registrations`, {
              method: 'POST',
              token: m.accessToken,
            }),
            201,
          ),
        ),
      ),
    );
    const registered = answers.filter((a) => a.status === 'registered');
    expect(registered).toHaveLength(1);
    const positions = answers
      .flatMap((a) => (a.status === 'waitlisted' ? [a.position] : []))
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    // the order the answers gave is the roster's order
    const roster = rosterSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}/registrations`, { token: facilitator.accessToken }),
        200,
      ),
    );
    expect(roster.registered).toHaveLength(1);
    racers.forEach((m, i) => {
      const a = answers[i] as RegistrationStatus;
      if (a.status === 'registered') expect(roster.registered[0]).toBe(m.user.id);
      else expect(roster.waitlist[a.position - 1]).toBe(m.user.id);
    });
    // a second registration is refused, and a member cannot read the roster
    await refused(
      await api(`/workshops/${workshop.id}/registrations`, {
        method: 'POST',
        token: racers[0]!.accessToken,
      }),
      409,
      'CONFLICT',
    );
    await refused(
      await api(`/workshops/${workshop.id}/registrations`, { token: racers[0]!.accessToken }),
      403,
      'FORBIDDEN',
    );
  });

  it('promotes the first in line when a place frees up, tells them live, and their role follows', async () => {
    const before = rosterSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}/registrations`, { token: facilitator.accessToken }),
        200,
      ),
    );
    const holder = members.find((m) => m.user.id === before.registered[0])!;
    const first = members.find((m) => m.user.id === before.waitlist[0])!;
    const second = members.find((m) => m.user.id === before.waitlist[1])!;
    const socket = await connect(first.accessToken);
    const promoted = new Promise<{ spaceId: string }>((resolve) =>
      socket.once('workshop.promoted', resolve),
    );
    const res = await api(`/workshops/${workshop.id}/registrations/me`, {
      method: 'DELETE',
      token: holder.accessToken,
    });
    expect(res.status).toBe(204);
    expect(await promoted).toEqual({ spaceId: workshop.id });
    expect(
      await json(
        await api(`/workshops/${workshop.id}/registrations/me`, { token: first.accessToken }),
        200,
      ),
    ).toEqual({ status: 'registered' });
    expect(
      await json(
        await api(`/workshops/${workshop.id}/registrations/me`, { token: second.accessToken }),
        200,
      ),
    ).toEqual({ status: 'waitlisted', position: 1 });
    expect(
      await json(
        await api(`/workshops/${workshop.id}/registrations/me`, { token: holder.accessToken }),
        200,
      ),
    ).toEqual({ status: 'none' });
    // the membership (chat, rights re-checks) follows the roster
    await until(async () => {
      const s = spaceSummarySchema.parse(
        await json(await api(`/spaces/${workshop.id}`, { token: first.accessToken }), 200),
      );
      expect(s).toMatchObject({ kind: 'workshop', myRole: 'participant', channelId: workshop.id });
    });
  });

  it('promotes the waiting list in order when the capacity is raised', async () => {
    const before = rosterSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}/registrations`, { token: facilitator.accessToken }),
        200,
      ),
    );
    const updated = workshopSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}`, {
          method: 'PATCH',
          token: facilitator.accessToken,
          json: { capacity: 4 },
        }),
        200,
      ),
    );
    expect(updated).toMatchObject({ capacity: 4, registeredCount: 4, waitlistCount: 15 });
    const after = rosterSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}/registrations`, { token: facilitator.accessToken }),
        200,
      ),
    );
    expect(after.registered).toEqual([...before.registered, ...before.waitlist.slice(0, 3)]);
    expect(after.waitlist).toEqual(before.waitlist.slice(3));
  });

  it('keeps attendance to the facilitators: members and people without an account, counted by sector', async () => {
    const participant = members.find((m) => m.user.id !== facilitator.user.id)!;
    await refused(
      await api(`/workshops/${workshop.id}/attendance`, {
        method: 'POST',
        token: participant.accessToken,
        json: { name: 'Someone', sector: 'civil-society' },
      }),
      403,
      'FORBIDDEN',
    );
    await refused(
      await api(`/workshops/${workshop.id}/attendance`, { token: participant.accessToken }),
      403,
      'FORBIDDEN',
    );
    const roster = rosterSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}/registrations`, { token: facilitator.accessToken }),
        200,
      ),
    );
    await json(
      await api(`/workshops/${workshop.id}/attendance`, {
        method: 'POST',
        token: facilitator.accessToken,
        json: { memberId: roster.registered[0], sector: 'academia-research' },
      }),
      201,
    );
    await json(
      await api(`/workshops/${workshop.id}/attendance`, {
        method: 'POST',
        token: facilitator.accessToken,
        json: { name: 'Amal B.', organisation: 'Association Nour', sector: 'civil-society' },
      }),
      201,
    );
    await json(
      await api(`/workshops/${workshop.id}/attendance`, {
        method: 'POST',
        token: facilitator.accessToken,
        json: { name: 'Visiteur' },
      }),
      201,
    );
    await refused(
      await api(`/workshops/${workshop.id}/attendance`, {
        method: 'POST',
        token: facilitator.accessToken,
        json: { memberId: roster.registered[0] },
      }),
      409,
      'CONFLICT',
    );
    const list = await json<{ items: { name: string }[]; counts: Record<string, unknown> }>(
      await api(`/workshops/${workshop.id}/attendance`, { token: facilitator.accessToken }),
      200,
    );
    expect(list.items.map((i) => i.name)).toEqual(['', 'Amal B.', 'Visiteur']);
    expect(list.counts).toMatchObject({
      total: 3,
      members: 1,
      guests: 2,
      bySector: { 'academia-research': 1, 'civil-society': 1, unknown: 1 },
    });
    // others see the counts on the workshop, never the names
    const seen = await json<WorkshopView>(
      await api(`/workshops/${workshop.id}`, { token: participant.accessToken }),
      200,
    );
    expect(seen.attendance).toMatchObject({ total: 3, guests: 2 });
    expect(JSON.stringify(seen)).not.toContain('Amal');
  });

  it("closes a private community's guide and workshop notes to outsiders, over REST and collab (4403)", async () => {
    const group = communitySchema.parse(
      await json(
        await api('/communities', {
          method: 'POST',
          token: facilitator.accessToken,
          json: { title: 'Survivors’ circle, Sfax', visibility: 'private', country: 'TN' },
        }),
        201,
      ),
    );
    const inside = workshopSchema.parse(
      await json(
        await api('/workshops', {
          method: 'POST',
          token: facilitator.accessToken,
          json: {
            title: 'Cercle de parole',
            country: 'TN',
            language: 'ar',
            format: 'onsite',
            startsAt: '2027-02-03T15:00',
            endsAt: '2027-02-03T17:00',
            timeZone: 'Africa/Tunis',
            capacity: 12,
            place: 'Sfax',
            communityId: group.id,
          },
        }),
        201,
      ),
    );
    expect(inside.visibility).toBe('private');
    await refused(
      await api(`/communities/${group.id}`, { token: outsider.accessToken }),
      404,
      'NOT_FOUND',
    );
    await refused(
      await api(`/workshops/${inside.id}`, { token: outsider.accessToken }),
      404,
      'NOT_FOUND',
    );
    await refused(
      await api(`/workshops/${inside.id}/registrations`, {
        method: 'POST',
        token: outsider.accessToken,
      }),
      404,
      'NOT_FOUND',
    );
    await refused(
      await api(`/spaces/${group.id}`, { token: outsider.accessToken }),
      404,
      'NOT_FOUND',
    );
    for (const doc of [group.docName, inside.docName]) {
      await refused(
        await api(`/docs/${doc}/versions`, { token: outsider.accessToken }),
        403,
        'FORBIDDEN',
      );
      expect(await collabOutcome(doc, outsider.accessToken)).toBe(4403);
      // the trainer who owns the group writes both
      expect(await collabOutcome(doc, facilitator.accessToken)).toBe('open');
      await json(await api(`/docs/${doc}/versions`, { token: facilitator.accessToken }), 200);
    }
    const listed = await json<{ items: { id: string }[] }>(
      await api('/communities', { token: outsider.accessToken }),
      200,
    );
    expect(listed.items.map((c) => c.id)).not.toContain(group.id);
    // a public national community's members may read (not write) a public workshop's notes
    expect(await collabOutcome(workshop.docName, outsider.accessToken)).toBe('open');
  });

  it('serves a feed calendar apps read: the Tunis hour in Lisbon, stable UIDs, SEQUENCE up on a change; reset → 404', async () => {
    const info = calendarFeedInfoSchema.parse(
      await json(await api('/me/calendar', { token: facilitator.accessToken }), 200),
    );
    expect(info.feedUrl).toBe(`http://agora.test/api/calendar/${info.token}.ics`);
    const feedPath = `${gw.base}/api/calendar/${info.token}.ics`;
    // a summer workshop in Athens (UTC+3 then) exercises a zone with daylight saving
    await json(
      await api('/workshops', {
        method: 'POST',
        token: facilitator.accessToken,
        json: {
          title: 'Εθνικό εργαστήριο — Αθήνα',
          country: 'GR',
          language: 'el',
          format: 'mixed',
          startsAt: '2027-07-15T18:00',
          endsAt: '2027-07-15T21:00',
          timeZone: 'Europe/Athens',
          capacity: 30,
          place: 'Αθήνα',
          link: 'https://meet.example.org/athens',
        },
      }),
      201,
    );

    const first = await feedOf(feedPath);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text1 = await first.text();
    expect(text1).toMatch(/\r\n/);
    expect(text1.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);
    const events1 = parseFeed(text1);
    const tunis = events1.find((e) => e.summary === 'Atelier national — Tunis')!;
    expect(tunis).toBeDefined();
    expect(tunis.startDate.zone.tzid).toBe('Africa/Tunis');
    expect(tunis.startDate.hour).toBe(10);
    expect(tunis.startDate.toJSDate().toISOString()).toBe('2027-01-20T09:00:00.000Z');
    expect(lisbonClock.format(tunis.startDate.toJSDate())).toBe('09:00');
    expect(tunis.location).toContain('Tunis');
    const athens = events1.find((e) => e.summary === 'Εθνικό εργαστήριο — Αθήνα')!;
    expect(athens.startDate.zone.tzid).toBe('Europe/Athens');
    expect(athens.startDate.toJSDate().toISOString()).toBe('2027-07-15T15:00:00.000Z');
    expect(lisbonClock.format(athens.startDate.toJSDate())).toBe('16:00');
    expect(text1.match(/BEGIN:VTIMEZONE/g)).toHaveLength(2);

    // a registered participant's feed has it; someone on the waiting list's has not
    const roster = rosterSchema.parse(
      await json(
        await api(`/workshops/${workshop.id}/registrations`, { token: facilitator.accessToken }),
        200,
      ),
    );
    const participant = members.find((m) => m.user.id === roster.registered[1])!;
    const waiting = members.find((m) => m.user.id === roster.waitlist[0])!;
    const summariesOf = async (m: Account) => {
      const i = calendarFeedInfoSchema.parse(
        await json(await api('/me/calendar', { token: m.accessToken }), 200),
      );
      const t = await (await feedOf(`${gw.base}/api/calendar/${i.token}.ics`)).text();
      return parseFeed(t).map((e) => e.summary);
    };
    expect(await summariesOf(participant)).toContain('Atelier national — Tunis');
    expect(await summariesOf(waiting)).not.toContain('Atelier national — Tunis');

    // the same UID on every fetch; an update raises SEQUENCE
    const again = parseFeed(await (await feedOf(feedPath)).text());
    const tunisAgain = again.find((e) => e.uid === tunis.uid)!;
    expect(tunisAgain.sequence).toBe(tunis.sequence);
    await json(
      await api(`/workshops/${workshop.id}`, {
        method: 'PATCH',
        token: facilitator.accessToken,
        json: { startsAt: '2027-01-20T11:00', endsAt: '2027-01-20T14:00' },
      }),
      200,
    );
    const moved = parseFeed(await (await feedOf(feedPath)).text()).find(
      (e) => e.uid === tunis.uid,
    )!;
    expect(moved.sequence).toBeGreaterThan(tunis.sequence);
    expect(lisbonClock.format(moved.startDate.toJSDate())).toBe('10:00');

    // "add to calendar": one event, same UID
    const one = await api(`/workshops/${workshop.id}/event.ics`, {
      token: participant.accessToken,
    });
    expect(one.status).toBe(200);
    expect(parseFeed(await one.text()).map((e) => e.uid)).toEqual([tunis.uid]);

    // reset: the old URL is gone, the new one works
    const fresh = calendarFeedInfoSchema.parse(
      await json(
        await api('/me/calendar/reset', { method: 'POST', token: facilitator.accessToken }),
        200,
      ),
    );
    expect(fresh.token).not.toBe(info.token);
    expect((await feedOf(feedPath)).status).toBe(404);
    expect((await feedOf(`${gw.base}/api/calendar/${fresh.token}.ics`)).status).toBe(200);
  });
});
