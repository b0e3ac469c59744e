export { CollabStandIn, type StandInDoc } from './collab-stand-in.js';
export { callInput } from './fixtures.js';
export { MovingClock } from './moving-clock.js';
export { eventually, startSpacesHarness, type SpacesHarness } from './spaces-harness.js';
