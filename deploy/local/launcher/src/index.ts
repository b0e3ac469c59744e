export { startHub, type HubOptions, type RunningHub } from './hub.js';
