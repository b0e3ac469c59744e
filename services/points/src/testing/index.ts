export {
  eventually,
  newMemberId,
  startPointsHarness,
  type PointsHarness,
  type SourceEvent,
  type TestMember,
} from './points-harness.js';
export { referenceBalances, type StreamEvent } from './reference.js';
export { keysOf } from '../balances/balance-change.js';
export { BalanceMovesRepository } from '../balances/balance-moves.repository.js';
export { cellsOf } from '../leaderboard/histogram-buckets.js';
