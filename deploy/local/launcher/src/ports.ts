import { createServer } from 'node:net';

/** A port nobody listens on right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
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
