import type { Rule } from '@agora/proto';

/** One distinct source event (duplicates and replays removed) as a reference sees it. */
export interface StreamEvent {
  id: string;
  type: string;
  occurredAt: Date;
  data: Record<string, string>;
}

const at = (e: StreamEvent) => e.occurredAt.getTime();
function later(a: StreamEvent, b: StreamEvent): boolean {
  return at(a) > at(b) || (at(a) === at(b) && a.id > b.id);
}

/**
 * The balances the rules promise for a set of distinct events, computed straight from the table's
 * meaning with no state machine: what the engine must agree with, whatever the order, duplicates
 * and redeliveries. Daily caps are not modelled (streams stay under them).
 */
export function referenceBalances(
  rules: readonly Rule[],
  events: readonly StreamEvent[],
): Map<string, number> {
  const balances = new Map<string, number>();
  const add = (m: string, p: number) => balances.set(m, (balances.get(m) ?? 0) + p);
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const member = (e: StreamEvent): string | null => {
      const m = e.data[rule.memberField];
      if (!m) return null;
      if (rule.onlyWhen && e.data[rule.onlyWhen.field] !== rule.onlyWhen.equals) return null;
      if (rule.unlessSameAs && e.data[rule.unlessSameAs] === m) return null;
      return m;
    };
    const paying = events.filter((e) => e.type === rule.event && member(e));
    const reversing = events.filter(
      (e) => rule.reversedBy && e.type === rule.reversedBy && member(e),
    );
    const obj = (e: StreamEvent) => e.data[rule.objectField] ?? '';
    switch (rule.kind) {
      case 'once-per-member': {
        for (const m of new Set(paying.map((e) => member(e) ?? ''))) add(m, rule.points);
        break;
      }
      case 'per-event':
      case 'once-per-member-per-object':
      case 'daily': {
        const deleted = new Set(reversing.map(obj));
        const paid = new Map<string, string>();
        for (const e of paying) {
          const m = member(e) ?? '';
          const key = rule.kind === 'per-event' ? obj(e) : `${m}:${obj(e)}`;
          if (!paid.has(key)) paid.set(key, m);
        }
        for (const [key, m] of paid) {
          const object = rule.kind === 'per-event' ? key : key.slice(m.length + 1);
          if (!(rule.reversedBy && deleted.has(object))) add(m, rule.points);
        }
        break;
      }
      case 'threshold': {
        const units = new Map<string, Set<string>>();
        for (const e of paying) {
          const m = member(e) ?? '';
          const set = units.get(m) ?? new Set<string>();
          set.add(rule.unitFields.map((f) => e.data[f]).join(':'));
          units.set(m, set);
        }
        for (const [m, set] of units)
          add(m, Math.floor(set.size / (rule.every ?? 1)) * rule.points);
        break;
      }
      case 'while-standing': {
        const latest = new Map<string, StreamEvent>();
        for (const e of [...paying, ...reversing]) {
          const key = `${member(e)}:${obj(e)}`;
          const cur = latest.get(key);
          if (!cur || later(e, cur)) latest.set(key, e);
        }
        for (const e of latest.values())
          if (e.type === rule.event) add(member(e) ?? '', rule.points);
        break;
      }
    }
  }
  return balances;
}
