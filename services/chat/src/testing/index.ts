export {
  eventually,
  refusal,
  startChatHarness,
  type ChatHarness,
  type TestMember,
} from './chat-harness.js';
export { MovingClock } from './moving-clock.js';
