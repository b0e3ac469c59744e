export { freePort } from './free-port.js';
export { natsServerBinary, startNatsServer, type NatsServerHandle, type StartNatsServerOptions } from './nats-server.js';
