import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree, freePort, freePorts, PortTakenError, reservePort } from './ports.js';

describe('ports', () => {
  it('says in one line what to do when the port is taken', async () => {
    const port = await freePort();
    const holder = createServer().listen(port, '0.0.0.0');
    await new Promise((r) => holder.once('listening', r));
    try {
      const err = await assertPortFree(port, 'the hub', 'choose another with PORT=<port>').catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PortTakenError);
      expect((err as Error).message).toBe(
        `port ${port} (the hub) is already in use: stop what holds it or choose another with PORT=<port>`,
      );
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('lets a free port pass and leaves it free', async () => {
    const port = await freePort();
    await assertPortFree(port, 'the hub', 'x');
    await assertPortFree(port, 'the hub', 'x');
  });

  it('picks distinct free ports for children started side by side', async () => {
    const ports = await freePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) await assertPortFree(port, 'a child', 'x', '127.0.0.1');
  });

  it('holds a reserved port until it is released, then lets it be bound (twice released is once)', async () => {
    const reserved = await reservePort();
    const listenOn = (port: number) =>
      new Promise<NodeJS.ErrnoException | null>((resolve) => {
        const srv = createServer();
        srv.once('error', (err) => resolve(err));
        srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(null)));
      });
    expect((await listenOn(reserved.port))?.code).toBe('EADDRINUSE');
    await Promise.all([reserved.release(), reserved.release()]);
    expect(await listenOn(reserved.port)).toBeNull();
  });
});
