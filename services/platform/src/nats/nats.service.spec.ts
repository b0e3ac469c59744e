import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { buckets, consumers, identityEvents, natsServerUser, streams } from '@agora/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { NatsService, withoutCredentials, type NatsServiceOptions } from './nats.service.js';
import { DEAD_LETTER_HEADROOM } from './provision.js';

const logger = createLogger('nats-service-spec', 'silent');

async function streamExists(nats: NatsService, name: string): Promise<boolean> {
  return nats.jsm.streams.info(name).then(
    () => true,
    (err: unknown) => {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)
        return false;
      throw err;
    },
  );
}

/** nats-server on loopback with JetStream, the given `authorization` users, and extra lines. */
function serverConfig(users: unknown[], extra: string[] = []) {
  return ({ port, storeDir }: { port: number; storeDir: string }) =>
    [
      `listen: "127.0.0.1:${port}"`,
      `jetstream: ${JSON.stringify({ store_dir: storeDir })}`,
      `authorization: ${JSON.stringify({ users })}`,
      ...extra,
    ].join('\n');
}

describe('withoutCredentials', () => {
  it('drops user:password@ from every server of a NATS URL, and leaves the rest', () => {
    expect(withoutCredentials('nats://gw:s3cret@10.0.0.1:4222')).toBe('nats://10.0.0.1:4222');
    expect(withoutCredentials('tls://a:b@n1:4222,tls://c:d@n2:4222')).toBe(
      'tls://n1:4222,tls://n2:4222',
    );
    expect(withoutCredentials('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});

describe('NatsService', () => {
  const opened: NatsService[] = [];
  const open = (options: Omit<NatsServiceOptions, 'logger'>): NatsService => {
    const nats = new NatsService({ ...options, logger });
    opened.push(nats);
    return nats;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((n) => n.drain()));
  });

  describe('on an open server', () => {
    let server: NatsServerHandle;
    beforeAll(async () => {
      server = await startNatsServer();
    });
    afterAll(() => server?.stop());

    it('provisions only what its process owns, idempotently', async () => {
      const gateway = open({ url: server.url, name: 'gateway' });
      await gateway.ready(10_000);
      expect(await streamExists(gateway, `OBJ_${buckets.uploads.name}`)).toBe(true);
      expect(await streamExists(gateway, streams.identity.name)).toBe(false);
      expect(await streamExists(gateway, streams.deadLetter.name)).toBe(false);

      const identity = open({ url: server.url, name: 'identity' });
      await identity.ready(10_000);
      const info = await identity.jsm.streams.info(streams.identity.name);
      expect(info.config.subjects).toEqual(streams.identity.subjects);
      expect(info.config.duplicate_window).toBe(streams.identity.duplicateWindowMs * 1_000_000);
      expect(await streamExists(identity, streams.deadLetter.name)).toBe(true);
      const mailer = consumers.identityMailer;
      const consumer = await identity.jsm.consumers.info(mailer.stream, mailer.durable);
      expect(consumer.config.filter_subject).toBe(mailer.filterSubjects[0]);
      expect(consumer.config.ack_policy).toBe('explicit');
      expect(consumer.config.max_deliver).toBe(mailer.maxDeliver + DEAD_LETTER_HEADROOM);
      await identity.provision();
      await gateway.provision();
    });

    it("is ready while another service's stream it consumes is not there yet", async () => {
      // A consumer on a stream whose owner has not started yet (start order is not the bus's business).
      const foreign = { ...consumers.identityMailer, stream: 'AGORA_LATER', durable: 'spec-later' };
      const early = open({
        url: server.url,
        name: 'spec-early',
        provisions: { streams: [], consumers: [foreign] },
      });
      await early.ready(10_000);
      expect(early.isConnected).toBe(true);
    }, 20_000);

    it('provisions exactly what it is given instead, when given', async () => {
      const nats = open({
        url: server.url,
        name: 'provision-spec',
        provisions: { streams: [streams.deadLetter] },
      });
      await nats.ready(10_000);
      expect(await streamExists(nats, streams.deadLetter.name)).toBe(true);
    });
  });

  describe('under per-service credentials', () => {
    const passwords = { identity: randomBytes(16).toString('hex'), gateway: 'gw-password-1' };
    let server: NatsServerHandle;
    beforeAll(async () => {
      server = await startNatsServer({
        config: serverConfig([
          natsServerUser('identity', passwords.identity),
          natsServerUser('gateway', passwords.gateway),
        ]),
        credentials: { user: 'identity', pass: passwords.identity },
      });
    });
    afterAll(() => server?.stop());
    /** Identity and the gateway, each connected as its own user and ready. */
    const openBoth = async () => {
      const identity = open({
        url: server.url,
        name: 'identity',
        user: 'identity',
        pass: passwords.identity,
      });
      const gateway = open({
        url: server.url,
        name: 'gateway',
        user: 'gateway',
        pass: passwords.gateway,
      });
      await Promise.all([identity.ready(10_000), gateway.ready(10_000)]);
      return { identity, gateway };
    };

    it('connects as its user and provisions what it owns within its permissions', async () => {
      const { identity, gateway } = await openBoth();
      expect(identity.isConnected && gateway.isConnected).toBe(true);

      // The gateway hands a large upload to identity (chunks, flow-controlled reads).
      const bytes = randomBytes(3 * 1024 * 1024);
      const put = await gateway.objectStore(buckets.uploads.name);
      await put.putBlob({ name: 'spec-upload' }, bytes);
      const get = await identity.objectStore(buckets.uploads.name);
      expect(Buffer.from((await get.getBlob('spec-upload')) ?? []).equals(bytes)).toBe(true);
      expect((await get.info('spec-upload'))?.size).toBe(bytes.length);
      await get.delete('spec-upload');
      expect(await get.getBlob('spec-upload')).toBeNull();
    });

    it("lets a stream's owner read and purge it, and nobody else read it", async () => {
      const { identity, gateway } = await openBoth();
      const subject = identityEvents.invitationSent.subject;
      const { seq } = await identity.js.publish(subject, '{"probe":1}');
      // An ordered consumer (what a service reading its own log uses), then a direct read by subject.
      const ordered = await identity.js.consumers.get(streams.identity.name, {
        opt_start_seq: seq,
      });
      expect((await ordered.next({ expires: 5_000 }))?.seq).toBe(seq);
      await ordered.delete();
      const last = await identity.jsm.streams.getMessage(streams.identity.name, {
        last_by_subj: subject,
      });
      expect(last?.seq).toBe(seq);
      await expect(
        gateway.jsm.streams.getMessage(streams.identity.name, { last_by_subj: subject }),
      ).rejects.toThrow(/Permissions Violation/);
      await expect(gateway.js.consumers.get(streams.identity.name)).rejects.toThrow(
        /Permissions Violation/,
      );
      await identity.jsm.streams.purge(streams.identity.name, { filter: subject });
      expect((await identity.jsm.streams.info(streams.identity.name)).state.messages).toBe(0);
    });

    it('stays unready, saying why, without credentials or with a wrong password', async () => {
      const anonymous = open({ url: server.url, name: 'gateway' });
      const wrong = open({ url: server.url, name: 'gateway', user: 'gateway', pass: 'nope' });
      await expect(anonymous.ready(1_500)).rejects.toThrow(/Authorization Violation/);
      await expect(wrong.ready(1_500)).rejects.toThrow(/Authorization Violation/);
      expect(wrong.unreadyReason).toMatch(/^cannot connect to nats:\/\/127\.0\.0\.1:\d+: /);
    });

    it("may not provision what another process owns: the gateway's user cannot", async () => {
      const gateway = open({
        url: server.url,
        name: 'gateway',
        user: 'gateway',
        pass: passwords.gateway,
        provisions: { streams: [streams.identity] },
      });
      await expect(gateway.ready(2_000)).rejects.toThrow(
        /JetStream is not usable: .*Permissions Violation/,
      );
    });
  });

  describe('over TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agora-nats-tls-'));
    const file = (name: string) => join(dir, name);
    let server: NatsServerHandle;

    /** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it. */
    function makeCertificates(): void {
      const openssl = (...args: string[]) => {
        const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
      };
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
      openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=ca');

      openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=nats');
      openssl('req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=gateway');
      writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
      writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
      for (const who of ['server', 'client']) {
        openssl(
          'x509',
          '-req',
          '-in',
          `${who}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-days',
          '1',
          '-extfile',
          `${who}.ext`,
          '-out',
          `${who}.pem`,
        );
      }
    }

    beforeAll(async () => {
      makeCertificates();
      const tls = {
        cert_file: file('server.pem'),
        key_file: file('server.key'),
        ca_file: file('ca.pem'),
        verify: true,
      };
      server = await startNatsServer({
        config: serverConfig(
          [natsServerUser('gateway', 'gw-password-1')],
          [`tls: ${JSON.stringify(tls)}`],
        ),
        // No JetStream probe: it would need the client certificate. NatsService waits for it.
        jetstream: false,
      });
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const credentials = { name: 'gateway', user: 'gateway', pass: 'gw-password-1' };

    it('connects with the CA and a client certificate, and provisions', async () => {
      const nats = open({
        ...credentials,
        url: `tls://127.0.0.1:${server.port}`,
        tls: { caFile: file('ca.pem'), certFile: file('client.pem'), keyFile: file('client.key') },
      });
      await nats.ready(10_000);
      const store = await nats.objectStore(buckets.uploads.name);
      await store.putBlob({ name: 'over-tls' }, new Uint8Array([7]));
      expect([...((await store.getBlob('over-tls')) ?? [])]).toEqual([7]);
    });

    it('refuses a server whose certificate its CA did not sign, and a client without one', async () => {
      const untrusted = open({ ...credentials, url: `tls://127.0.0.1:${server.port}`, tls: {} });
      await expect(untrusted.ready(1_500)).rejects.toThrow(
        /cannot connect to tls:\/\/.*certificate/,
      );
      const noClientCert = open({
        ...credentials,
        url: `tls://127.0.0.1:${server.port}`,
        tls: { caFile: file('ca.pem') },
      });
      // TLS 1.3: the server refuses the missing certificate after the handshake; the client's
      // connect times out (3 s) instead of failing at once.
      noClientCert.start();
      await expect
        .poll(() => noClientCert.unreadyReason, { timeout: 8_000 })
        .toMatch(/^cannot connect to tls:\/\/127\.0\.0\.1:\d+: timeout/);
      expect(noClientCert.isConnected).toBe(false);
    }, 15_000);
  });

  it('refuses a server without TLS when TLS is asked for', async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      const nats = open({ url: `tls://127.0.0.1:${plain.port}`, name: 'gateway', tls: {} });
      await expect(nats.ready(1_500)).rejects.toThrow(/server does not support 'tls'/);
    } finally {
      await plain.stop();
    }
  });
});
