import { createServer } from 'node:net';

/** A port held open for the caller until `release`: picked now, bound by someone else later. */
export interface ReservedPort {
  port: number;
  release: () => Promise<void>;
}

/**
 * A port the OS picks, kept listening until released. Between a probe that closes at once and a
 * listen seconds later, the port is free for any outgoing connection's ephemeral local port (the
 * same range): a hub's proxy port was once taken so while its services started.
 */
export function reservePort(host = '127.0.0.1'): Promise<ReservedPort> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      let released: Promise<void> | undefined;
      const release = () => (released ??= new Promise<void>((done) => srv.close(() => done())));
      resolve({ port, release });
    });
  });
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const reserved = await reservePort(host);
  await reserved.release();
  return reserved.port;
}

/**
 * `count` distinct ports nobody listens on right now: each stays reserved until all are picked, so
 * children started side by side, none listening yet, never get the same one.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const reserved: ReservedPort[] = [];
  try {
    for (let i = 0; i < count; i++) reserved.push(await reservePort(host));
    return reserved.map((r) => r.port);
  } finally {
    await Promise.all(reserved.map((r) => r.release()));
  }
}

export class PortTakenError extends Error {}

/** Fails with one actionable line when `port` is already taken (never attach to someone else's server). */
export function assertPortFree(
  port: number,
  what: string,
  hint: string,
  host = '0.0.0.0',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new PortTakenError(
              `port ${port} (${what}) is already in use: stop what holds it or ${hint}`,
            )
          : err,
      );
    });
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}
