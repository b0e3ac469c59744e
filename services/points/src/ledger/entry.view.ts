import type { LedgerEntry } from '@agora/proto';
import type { EntryDoc } from './entry.schema.js';

/** What a member sees of an entry. */
export function entryView(e: EntryDoc): LedgerEntry {
  return {
    id: e._id,
    memberId: e.memberId,
    rule: e.rule,
    ruleVersion: e.ruleVersion,
    points: e.points,
    source: { type: e.sourceType as LedgerEntry['source']['type'], id: e.sourceId },
    reason: e.reason ?? null,
    at: new Date(e.at).toISOString(),
  };
}
