export { CollabStandIn, type StandInDoc } from './collab-stand-in.js';
export { callInput } from './fixtures.js';
export { MovingClock } from './moving-clock.js';
export { titlePrefixes } from '../proposals/title-search.js';
export { callAs, refusal, streamTypes, type TestMember } from './rpc-as.js';
export { eventually, startSpacesHarness, type SpacesHarness } from './spaces-harness.js';
