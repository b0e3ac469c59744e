import { describe, expect, it } from 'vitest';
import { placesLeft, registrationOffer, type RegistrationFacts } from './registration-state.js';

const now = Date.parse('2026-07-01T12:00:00Z');
const open: RegistrationFacts = {
  status: 'published',
  registrationOpen: true,
  capacity: 2,
  registeredCount: 1,
  startsAt: '2026-07-15T09:00:00.000Z',
  myRole: null,
  myRegistration: { status: 'none' },
};

describe('the registration box', () => {
  it('offers a place while one is free, the waiting list once full', () => {
    expect(registrationOffer(open, now)).toEqual({ kind: 'register', placesLeft: 1 });
    expect(registrationOffer({ ...open, registeredCount: 2 }, now)).toEqual({
      kind: 'join-waitlist',
    });
    // A lowered capacity can leave more registered than places: never a negative count.
    expect(placesLeft({ capacity: 1, registeredCount: 3 })).toBe(0);
  });

  it('shows the member’s own registration and waiting-list position', () => {
    expect(registrationOffer({ ...open, myRegistration: { status: 'registered' } }, now)).toEqual({
      kind: 'registered',
      canCancel: true,
    });
    expect(
      registrationOffer({ ...open, myRegistration: { status: 'waitlisted', position: 3 } }, now),
    ).toEqual({ kind: 'waitlisted', position: 3, canCancel: true });
  });

  it('lets nobody register for a draft or after the closing time, but keeps who is in', () => {
    expect(registrationOffer({ ...open, status: 'draft' }, now)).toEqual({ kind: 'closed' });
    expect(registrationOffer({ ...open, registrationOpen: false }, now)).toEqual({
      kind: 'closed',
    });
    expect(
      registrationOffer(
        { ...open, registrationOpen: false, myRegistration: { status: 'registered' } },
        now,
      ),
    ).toEqual({ kind: 'registered', canCancel: true });
  });

  it('offers no cancellation once it has started, and nothing to a facilitator', () => {
    const started = Date.parse('2026-07-15T09:30:00Z');
    expect(
      registrationOffer({ ...open, myRegistration: { status: 'registered' } }, started),
    ).toEqual({ kind: 'registered', canCancel: false });
    expect(registrationOffer({ ...open, myRole: 'facilitator' }, now)).toEqual({
      kind: 'facilitating',
    });
  });
});
