export { testAccessKeys, type TestAccessKeys } from './access-keys.js';
export { freePort } from './free-port.js';
export {
  natsServerBinary,
  startNatsServer,
  type NatsServerHandle,
  type StartNatsServerOptions,
} from './nats-server.js';
export { platformTestConfig } from './test-config.js';
