/**
 * The roster of a workshop as plain data, and every change to it as a pure function: the
 * registration service reads the workshop, applies one of these, and writes the result back only
 * if nobody changed the workshop meanwhile (its `rev`), so each change sees the whole roster.
 */
export interface Roster {
  capacity: number;
  facilitators: readonly string[];
  registered: readonly string[];
  waitlist: readonly string[];
}

export type RosterRole = 'facilitator' | 'participant' | 'waitlisted';

export function roleIn(r: Roster, memberId: string): RosterRole | null {
  if (r.facilitators.includes(memberId)) return 'facilitator';
  if (r.registered.includes(memberId)) return 'participant';
  if (r.waitlist.includes(memberId)) return 'waitlisted';
  return null;
}

export interface RosterChange {
  roster: Roster;
  /** Moved from the waiting list to a place, in order. */
  promoted: string[];
}

/** Fills free places from the head of the waiting list. */
function promote(r: Roster): RosterChange {
  const free = Math.max(0, r.capacity - r.registered.length);
  const promoted = r.waitlist.slice(0, free);
  return {
    roster: {
      ...r,
      registered: [...r.registered, ...promoted],
      waitlist: r.waitlist.slice(promoted.length),
    },
    promoted,
  };
}

export type RegisterOutcome =
  | { kind: 'registered'; roster: Roster }
  | { kind: 'waitlisted'; roster: Roster; position: number }
  | { kind: 'already'; role: RosterRole };

/** A place while one is free, else the end of the waiting list. */
export function register(r: Roster, memberId: string): RegisterOutcome {
  const role = roleIn(r, memberId);
  if (role) return { kind: 'already', role };
  if (r.registered.length < r.capacity && r.waitlist.length === 0)
    return { kind: 'registered', roster: { ...r, registered: [...r.registered, memberId] } };
  const waitlist = [...r.waitlist, memberId];
  return { kind: 'waitlisted', roster: { ...r, waitlist }, position: waitlist.length };
}

/** Leaves a place or the waiting list; a freed place goes to the first in line (when `refill`). */
export function cancel(r: Roster, memberId: string, refill: boolean): RosterChange | null {
  const role = roleIn(r, memberId);
  if (role !== 'participant' && role !== 'waitlisted') return null;
  const next: Roster = {
    ...r,
    registered: r.registered.filter((m) => m !== memberId),
    waitlist: r.waitlist.filter((m) => m !== memberId),
  };
  return refill ? promote(next) : { roster: next, promoted: [] };
}

/** A new capacity: a larger one promotes the waiting list in order; a smaller one moves no one out. */
export function setCapacity(r: Roster, capacity: number, refill: boolean): RosterChange {
  const next = { ...r, capacity };
  return refill ? promote(next) : { roster: next, promoted: [] };
}

/**
 * New co-facilitators: a member who held a place or waited leaves the roster for the facilitators
 * (and their place goes to the next in line); at least one facilitator stays.
 */
export function setFacilitators(r: Roster, facilitators: readonly string[], refill: boolean) {
  const set = [...new Set(facilitators)];
  const next: Roster = {
    ...r,
    facilitators: set,
    registered: r.registered.filter((m) => !set.includes(m)),
    waitlist: r.waitlist.filter((m) => !set.includes(m)),
  };
  return refill ? promote(next) : { roster: next, promoted: [] };
}

/** Everyone whose role may differ between two rosters (for the memberships to follow). */
export function touched(a: Roster, b: Roster): string[] {
  const all = new Set([
    ...a.facilitators,
    ...a.registered,
    ...a.waitlist,
    ...b.facilitators,
    ...b.registered,
    ...b.waitlist,
  ]);
  return [...all].filter((m) => roleIn(a, m) !== roleIn(b, m));
}
