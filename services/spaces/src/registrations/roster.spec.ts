import { describe, expect, it } from 'vitest';
import {
  cancel,
  register,
  roleIn,
  setCapacity,
  setFacilitators,
  touched,
  type Roster,
} from './roster.js';

const id = (n: number) => n.toString(16).padStart(24, '0');
const empty: Roster = { capacity: 2, facilitators: [id(99)], registered: [], waitlist: [] };

describe('roster', () => {
  it('gives places until full, then waitlists in order with 1-based positions', () => {
    let r = empty;
    const outcomes = [1, 2, 3, 4].map((n) => {
      const o = register(r, id(n));
      if (o.kind !== 'already') r = o.roster;
      return o.kind === 'waitlisted' ? `w${o.position}` : o.kind;
    });
    expect(outcomes).toEqual(['registered', 'registered', 'w1', 'w2']);
    expect(register(r, id(3))).toEqual({ kind: 'already', role: 'waitlisted' });
    expect(register(r, id(99))).toEqual({ kind: 'already', role: 'facilitator' });
  });

  it('never jumps the queue: with people waiting, a free place goes to them, not to a newcomer', () => {
    const r: Roster = { ...empty, capacity: 2, registered: [id(1)], waitlist: [id(2)] };
    const o = register(r, id(3));
    expect(o).toMatchObject({ kind: 'waitlisted', position: 2 });
  });

  it('promotes the first in line on a cancellation, and only when refilling', () => {
    const r: Roster = { ...empty, registered: [id(1), id(2)], waitlist: [id(3), id(4)] };
    const c = cancel(r, id(1), true);
    expect(c?.promoted).toEqual([id(3)]);
    expect(c?.roster.registered).toEqual([id(2), id(3)]);
    expect(c?.roster.waitlist).toEqual([id(4)]);
    expect(cancel(r, id(1), false)?.promoted).toEqual([]);
    expect(cancel(r, id(3), true)?.roster.waitlist).toEqual([id(4)]);
    expect(cancel(r, id(7), true)).toBeNull();
  });

  it('promotes in order when the capacity grows, and removes nobody when it shrinks', () => {
    const r: Roster = { ...empty, registered: [id(1), id(2)], waitlist: [id(3), id(4), id(5)] };
    const up = setCapacity(r, 4, true);
    expect(up.promoted).toEqual([id(3), id(4)]);
    expect(up.roster.waitlist).toEqual([id(5)]);
    const down = setCapacity(r, 1, true);
    expect(down.roster.registered).toEqual([id(1), id(2)]);
    expect(down.promoted).toEqual([]);
  });

  it('moves a new co-facilitator out of the roster and refills their place', () => {
    const r: Roster = { ...empty, registered: [id(1), id(2)], waitlist: [id(3)] };
    const c = setFacilitators(r, [id(99), id(1)], true);
    expect(roleIn(c.roster, id(1))).toBe('facilitator');
    expect(c.promoted).toEqual([id(3)]);
    expect(touched(r, c.roster).sort()).toEqual([id(1), id(3)].sort());
  });
});
