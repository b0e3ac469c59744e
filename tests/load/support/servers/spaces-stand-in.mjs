// Stand-in for spaces on the benchmark's bus: answers every `agora.spaces.doc.access` with `write`,
// in Nest's NATS reply format, as the real handler would for a team member. Its CPU counts too.
import { connect } from '@nats-io/transport-node';

const nc = await connect({ servers: process.env.NATS_URL });
const sub = nc.subscribe('agora.spaces.doc.access', { queue: 'spaces' });
console.log('LISTENING 0');
process.on('SIGTERM', () => void nc.drain().then(() => process.exit(0)));
for await (const msg of sub) {
  const { id } = msg.json();
  msg.respond(JSON.stringify({ id, response: { right: 'write', role: null }, isDisposed: true }));
}
