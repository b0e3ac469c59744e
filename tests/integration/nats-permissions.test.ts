// The bus as `npm start` configures it: a real nats-server started with the launcher's generated
// configuration (one user per service, permissions derived from proto, no anonymous user). A client
// without credentials is refused; a service that is not identity can neither hear a login (it carries
// the password) nor its reply, nor publish identity's events; identity serves its RPCs and publishes
// its events into JetStream, and its consumer pulls and acks.
import {
  connect,
  type NatsConnection,
  type Subscription,
  PermissionViolationError,
} from '@nats-io/transport-node';
import {
  createLogger,
  EventPublisher,
  NatsService,
  RpcCallError,
  RpcClient,
} from '@agora/platform';
import { startNatsServer, type NatsServerHandle } from '@agora/platform/testing';
import { natsCredentialsFor, renderNatsServerConfig } from '@agora/launcher';
import {
  consumers,
  identityEvents,
  identityRpc,
  inboxPrefixOf,
  streams,
  type Envelope,
} from '@agora/proto';
import { DeliverPolicy } from '@nats-io/jetstream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger('nats-permissions', 'silent');
const memberId = 'b'.repeat(24);
const decoder = new TextDecoder();

describe('an authenticated bus with per-service permissions', () => {
  // `spaces` stands for any other back-end service: it calls no identity RPC.
  const users = natsCredentialsFor(['identity', 'gateway', 'spaces']);
  const password = (user: string) => users.find((u) => u.user === user)!.password;
  let server: NatsServerHandle;
  let identity: NatsService;
  const opened: { close(): Promise<void> }[] = [];

  /** A bare connection as `user` (its own inbox prefix, as NatsService uses). */
  async function connectAs(user: string): Promise<NatsConnection> {
    const nc = await connect({
      servers: server.url,
      user,
      pass: password(user),
      inboxPrefix: inboxPrefixOf(user),
    });
    opened.push(nc);
    return nc;
  }

  /** Resolves with the server's refusal of a subscription (or 'granted' if none comes). */
  async function refusal(sub: Subscription, nc: NatsConnection): Promise<string> {
    await nc.flush();
    const outcome = await Promise.race([
      sub.closed.then(
        (err) => (err instanceof Error ? err : 'closed'),
        (err: unknown) => err,
      ),
      new Promise((r) => setTimeout(() => r('granted'), 1_000)),
    ]);
    return outcome instanceof PermissionViolationError ? outcome.message : String(outcome);
  }

  const serviceBus = (name: string) =>
    new NatsService({ url: server.url, name, user: name, pass: password(name), logger });

  /** A service's NatsService, closed after the test. */
  function service(name: string): NatsService {
    const nats = serviceBus(name);
    opened.push({ close: () => nats.drain() });
    return nats;
  }

  beforeAll(async () => {
    server = await startNatsServer({
      config: ({ port, storeDir }) => renderNatsServerConfig({ port, storeDir, users }),
      credentials: { user: 'identity', pass: password('identity') },
    });
    // Identity provisions what it owns (its stream, the dead-letter stream, its mailer consumer).
    identity = serviceBus('identity');
    await identity.ready(15_000);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await identity?.drain();
    await server?.stop();
  });

  it('refuses a client without credentials, with a wrong password, or an unknown user', async () => {
    await expect(connect({ servers: server.url })).rejects.toThrow(/Authorization Violation/);
    await expect(
      connect({ servers: server.url, user: 'gateway', pass: password('identity') }),
    ).rejects.toThrow(/Authorization Violation/);
    await expect(
      connect({ servers: server.url, user: 'intruder', pass: 'x'.repeat(43) }),
    ).rejects.toThrow(/Authorization Violation/);
  });

  it('lets only identity hear a login, and only the caller get its reply', async () => {
    const heardByIdentity: string[] = [];
    const served = identity.nc.subscribe(identityRpc.login.subject, {
      queue: 'identity',
      callback: (_err, msg) => {
        heardByIdentity.push(msg.string());
        msg.respond(JSON.stringify({ session: 'tokens for the caller only' }));
      },
    });
    await identity.nc.flush();

    const gateway = await connectAs('gateway');
    const spaces = await connectAs('spaces');
    const spied: string[] = [];
    const spy = (nc: NatsConnection, subject: string) =>
      nc.subscribe(subject, {
        // A refused subscription hands the callback the error, and no message.
        callback: (err, m) => {
          if (!err) spied.push(`${subject}: ${m.string()}`);
        },
      });
    for (const [nc, subject] of [
      [gateway, identityRpc.login.subject],
      [spaces, identityRpc.login.subject],
      [spaces, 'agora.identity.*'],
      [spaces, '>'],
      [spaces, `${inboxPrefixOf('gateway')}.>`],
      [spaces, '_INBOX.>'],
    ] as const) {
      expect(await refusal(spy(nc, subject), nc), `${subject}`).toMatch(
        /^Permissions Violation for Subscription to /,
      );
    }

    const reply = await gateway.request(
      identityRpc.login.subject,
      JSON.stringify({ email: 'a@b.co', password: 'the password' }),
      { timeout: 5_000 },
    );
    expect(reply.string()).toBe(JSON.stringify({ session: 'tokens for the caller only' }));
    expect(heardByIdentity).toEqual([
      JSON.stringify({ email: 'a@b.co', password: 'the password' }),
    ]);
    // A service that calls no identity RPC cannot even send one.
    await expect(
      spaces.request(identityRpc.login.subject, 'guess', { timeout: 2_000 }),
    ).rejects.toThrow(/Permissions Violation for Publish to "agora\.identity\.login"/);
    expect(heardByIdentity).toHaveLength(1);
    expect(spied).toEqual([]);
    served.unsubscribe();
  });

  it("lets identity serve its RPCs to the gateway's RpcClient, not to a service that may not call them", async () => {
    const served = identity.nc.subscribe(identityRpc.logout.subject, {
      queue: 'identity',
      callback: (_err, msg) => {
        const { id } = JSON.parse(msg.string()) as { id: string };
        msg.respond(JSON.stringify({ id, response: { ok: true } }));
      },
    });
    await identity.nc.flush();
    const gateway = service('gateway');
    await gateway.ready(15_000);
    await expect(
      new RpcClient(gateway).call(identityRpc.logout, { refreshToken: 'r'.repeat(40) }),
    ).resolves.toEqual({ ok: true });

    const spaces = service('spaces');
    await spaces.ready(15_000);
    const err = await new RpcClient(spaces)
      .call(identityRpc.logout, { refreshToken: 'r'.repeat(40) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcCallError);
    expect((err as RpcCallError).message).toMatch(/Permissions Violation for Publish/);
    served.unsubscribe();
  });

  it('lets identity publish its events into JetStream, and no other service publish them', async () => {
    const event = identityEvents.invitationSent;
    const data = { invitationId: 'inv-permissions-1', inviterId: memberId };
    const stored = async () =>
      (await identity.jsm.streams.info(streams.identity.name)).state.messages;
    const before = await stored();

    const gateway = service('gateway');
    await gateway.ready(15_000);
    await expect(
      new EventPublisher(gateway, logger).publish(
        event,
        { actor: memberId, subject: memberId, data },
        { attempts: 1, ackTimeoutMs: 2_000 },
      ),
    ).rejects.toThrow(
      /Permissions Violation for Publish to "agora\.identity\.evt\.invitation\.sent"/,
    );
    // Nor by hand, on core NATS, another context's event.
    const raw = await connectAs('spaces');
    raw.publish(identityEvents.memberRegistered.subject, JSON.stringify({ forged: true }));
    await raw.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(await stored()).toBe(before);

    const published = await new EventPublisher(identity, logger).publish(event, {
      actor: memberId,
      subject: memberId,
      data,
    });
    expect(published.stream).toBe(streams.identity.name);
    expect(await stored()).toBe(before + 1);
  });

  it("lets the gateway read identity's stream with a push ordered consumer (its access view), not its durables", async () => {
    const gateway = service('gateway');
    await gateway.ready(15_000);
    expect((await gateway.jsm.streams.info(streams.identity.name)).state.messages).toBeGreaterThan(
      0,
    );
    const reader = await gateway.js.consumers.getPushConsumer(streams.identity.name, {
      filter_subjects: streams.identity.subjects[0],
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(Date.now() - 60_000).toISOString(),
    });
    const messages = await reader.consume();
    for await (const msg of messages) {
      expect(msg.subject).toBe(identityEvents.invitationSent.subject);
      break;
    }
    await messages.close();
    // It cannot pull from identity's durable consumer (nor look at it).
    await expect(
      gateway.js.consumers
        .get(consumers.identityMailer.stream, consumers.identityMailer.durable)
        .then((c) => c.next({ expires: 1_000 })),
    ).rejects.toThrow(/Permissions Violation/);
    // Reading is all: spaces may not, and the gateway may not publish identity's events (above).
    const spaces = service('spaces');
    await spaces.ready(15_000);
    await expect(spaces.jsm.streams.info(streams.identity.name)).rejects.toThrow(
      /Permissions Violation/,
    );
  });

  it("lets identity's consumer pull and ack; another service cannot read or ack it", async () => {
    const mailer = consumers.identityMailer;
    const consumer = await identity.js.consumers.get(mailer.stream, mailer.durable);
    const msg = await consumer.next({ expires: 5_000 });
    expect(msg).not.toBeNull();
    expect(msg!.subject).toBe(identityEvents.invitationSent.subject);
    const envelope = JSON.parse(decoder.decode(msg!.data)) as Envelope;
    expect(envelope.data).toEqual({ invitationId: 'inv-permissions-1', inviterId: memberId });

    // Another service holding the ack subject (say, from a log) cannot ack it for identity.
    const spaces = await connectAs('spaces');
    const i = msg!.info;
    // nats-server 2.9's reply subject of a delivered message: acking means publishing to it.
    const ackSubject = `$JS.ACK.${i.stream}.${i.consumer}.${i.deliveryCount}.${i.streamSequence}.${i.deliverySequence}.${i.timestampNanos}.${i.pending}`;
    spaces.publish(ackSubject, '+ACK');
    await spaces.flush();
    await new Promise((r) => setTimeout(r, 200));
    const pending = async () =>
      (await identity.jsm.consumers.info(mailer.stream, mailer.durable)).num_ack_pending;
    expect(await pending()).toBe(1);

    await msg!.ackAck();
    expect(await pending()).toBe(0);

    const gateway = service('gateway');
    await gateway.ready(15_000);
    await expect(gateway.jsm.consumers.info(mailer.stream, mailer.durable)).rejects.toThrow(
      /Permissions Violation/,
    );
  });
});
