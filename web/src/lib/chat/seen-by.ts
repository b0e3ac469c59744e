/**
 * Under which message each member's read position shows: the newest shown message they have read
 * (`seq <= readSeq`). The author of a message has read it; `self` is left out (my own reads are
 * the unread marker, not a receipt).
 */
export function seenByMessage(
  shownSeqs: readonly number[],
  reads: Readonly<Record<string, number>>,
  self: string,
): Map<number, string[]> {
  const placed = new Map<number, string[]>();
  for (const [memberId, readSeq] of Object.entries(reads)) {
    if (memberId === self) continue;
    let at: number | undefined;
    for (const seq of shownSeqs) if (seq <= readSeq) at = seq;
    if (at === undefined) continue;
    placed.set(at, [...(placed.get(at) ?? []), memberId]);
  }
  return placed;
}
