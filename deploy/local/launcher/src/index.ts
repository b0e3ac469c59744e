export { startHub, type HubOptions, type RunningHub } from './hub.js';
export {
  natsCredentialsFor,
  renderNatsServerConfig,
  type NatsCredentials,
  type NatsServerConfigOptions,
} from './nats-config.js';
export { listWorkspaces, type AgoraField, type Workspace } from './workspaces.js';
