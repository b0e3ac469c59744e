/**
 * What the registration box of a workshop page offers the member, from the workshop as the API
 * answers it. The server decides (it refuses a closed registration or a late cancellation); this
 * only keeps the page from offering what would be refused.
 */

export interface RegistrationFacts {
  status: 'draft' | 'published';
  registrationOpen: boolean;
  capacity: number;
  registeredCount: number;
  startsAt: string;
  myRole: string | null;
  myRegistration:
    { status: 'registered' } | { status: 'waitlisted'; position: number } | { status: 'none' };
}

export type RegistrationOffer =
  /** The member runs it: no registration of their own. */
  | { kind: 'facilitating' }
  | { kind: 'registered'; canCancel: boolean }
  | { kind: 'waitlisted'; position: number; canCancel: boolean }
  /** A place is free: registering takes it. */
  | { kind: 'register'; placesLeft: number }
  /** Full: registering puts the member on the waiting list. */
  | { kind: 'join-waitlist' }
  /** A draft, or registration has closed. */
  | { kind: 'closed' };

export function placesLeft(facts: Pick<RegistrationFacts, 'capacity' | 'registeredCount'>): number {
  return Math.max(0, facts.capacity - facts.registeredCount);
}

export function registrationOffer(facts: RegistrationFacts, now: number): RegistrationOffer {
  if (facts.myRole === 'facilitator') return { kind: 'facilitating' };
  // Cancelling (or leaving the waiting list) is possible until the workshop starts.
  const canCancel = now < Date.parse(facts.startsAt);
  const mine = facts.myRegistration;
  if (mine.status === 'registered') return { kind: 'registered', canCancel };
  if (mine.status === 'waitlisted')
    return { kind: 'waitlisted', position: mine.position, canCancel };
  if (facts.status !== 'published' || !facts.registrationOpen) return { kind: 'closed' };
  const left = placesLeft(facts);
  return left > 0 ? { kind: 'register', placesLeft: left } : { kind: 'join-waitlist' };
}
