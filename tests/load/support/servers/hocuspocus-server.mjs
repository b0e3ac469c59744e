// Hocuspocus (@hocuspocus/server 3.x) with its defaults and no extension: in memory, no auth hook
// (every token accepted), on 127.0.0.1 and a port the OS picks; prints the port once it listens.
import { Server } from '@hocuspocus/server';

const server = new Server({ address: '127.0.0.1', port: 0, quiet: true, stopOnSignals: false });
await server.listen();
console.log(`LISTENING ${server.address.port}`);
process.on('SIGTERM', () => process.exit(0));
