import type { Envelope, Rule } from '@agora/proto';

const memberId = /^[a-f0-9]{24}$/;

/** A string field of an event's data; `actor` falls back to the envelope's actor. */
export function field(event: Envelope, name: string): string | null {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const value = data[name];
  if (typeof value === 'string' && value.length > 0) return value;
  if (name === 'actor') return event.actor;
  return null;
}

/** Who a rule pays for this event, or why it pays nobody. */
export function beneficiary(rule: Rule, event: Envelope): string | null {
  const member = field(event, rule.memberField);
  if (!member || !memberId.test(member)) return null;
  if (rule.onlyWhen && field(event, rule.onlyWhen.field) !== rule.onlyWhen.equals) return null;
  if (rule.unlessSameAs && field(event, rule.unlessSameAs) === member) return null;
  return member;
}

/**
 * The ledger key of a rule's award for an event: unique per what the kind pays once for, so the
 * same award can never be written twice (threshold and while-standing keys add the multiple or the
 * transition number).
 */
export function awardKey(rule: Rule, member: string, object: string): string {
  switch (rule.kind) {
    case 'once-per-member':
      return `${rule.id}:${member}`;
    case 'per-event':
      return `${rule.id}:${object}`;
    case 'once-per-member-per-object':
    case 'daily':
    case 'threshold':
    case 'while-standing':
      return `${rule.id}:${member}:${object}`;
  }
}

/** The key of the entry taking back the award `key`. */
export function reversalKey(key: string): string {
  return `${key}:reversed`;
}

/** A threshold unit's id from its fields (a liker and a target). */
export function unitOf(rule: Rule, event: Envelope): string | null {
  const parts = rule.unitFields.map((f) => field(event, f));
  return parts.every((p) => p !== null) ? parts.join(':') : null;
}
