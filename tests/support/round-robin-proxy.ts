// A TCP round-robin proxy in front of collab replicas, as the one origin balances them: each new
// connection goes to the next replica in turn (not by document), a replica that refuses the
// connection is skipped at once, and when a replica dies its clients' sockets are cut so a stock
// client reconnects — and lands on a live one.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface RoundRobinProxy {
  /** `ws://127.0.0.1:<port>`: what a WebsocketProvider takes before `/collab`. */
  wsBase: string;
  port: number;
  /** Open client connections per backend port, right now. */
  openTo(backendPort: number): number;
  /** Connections accepted per backend port since start. */
  acceptedBy(backendPort: number): number;
  /** Replaces the backends (a restarted replica comes back on a new port). */
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backendPorts: number[]): Promise<RoundRobinProxy> {
  let backends = [...backendPorts];
  let next = 0;
  const open = new Map<number, Set<Socket>>();
  const accepted = new Map<number, number>();
  const clients = new Set<Socket>();

  /** Tries each backend once, starting at the next in turn; resolves with the first that accepts. */
  const dial = (attempt: number, start: number): Promise<{ upstream: Socket; port: number }> =>
    new Promise((resolve, reject) => {
      if (attempt >= backends.length || backends.length === 0) {
        reject(new Error('no backend accepted the connection'));
        return;
      }
      const port = backends[(start + attempt) % backends.length]!;
      const upstream = connect(port, '127.0.0.1');
      const onError = (): void => {
        upstream.destroy();
        dial(attempt + 1, start).then(resolve, reject);
      };
      upstream.once('error', onError);
      upstream.once('connect', () => {
        upstream.off('error', onError);
        resolve({ upstream, port });
      });
    });

  const server: Server = createServer((client) => {
    clients.add(client);
    client.pause();
    client.on('error', () => client.destroy());
    client.once('close', () => clients.delete(client));
    const start = next;
    next = (next + 1) % Math.max(1, backends.length);
    dial(0, start).then(
      ({ upstream, port }) => {
        if (client.destroyed) {
          upstream.destroy();
          return;
        }
        accepted.set(port, (accepted.get(port) ?? 0) + 1);
        let set = open.get(port);
        if (!set) open.set(port, (set = new Set()));
        set.add(client);
        // Either side gone: the other goes too (a dead replica's clients see their socket cut).
        const cut = (): void => {
          set.delete(client);
          client.destroy();
          upstream.destroy();
        };
        upstream.on('error', cut);
        upstream.on('close', cut);
        client.on('close', cut);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
  return {
    wsBase: `ws://127.0.0.1:${address.port}`,
    port: address.port,
    openTo: (port) => open.get(port)?.size ?? 0,
    acceptedBy: (port) => accepted.get(port) ?? 0,
    setBackends(ports) {
      backends = [...ports];
      next = 0;
    },
    async close() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
