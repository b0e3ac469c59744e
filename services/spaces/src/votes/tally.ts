import type { WalletRecord } from './vote.repository.js';

/** Dots per pitch index (votes for a pitch that does not exist are left out). */
export function tallyDots(wallets: readonly WalletRecord[], pitchCount: number): number[] {
  const totals = new Array<number>(pitchCount).fill(0);
  for (const w of wallets)
    for (const v of w.votes) if (v.pitchIndex < pitchCount) totals[v.pitchIndex]! += v.dots;
  return totals;
}
