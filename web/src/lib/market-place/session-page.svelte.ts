import { untrack } from 'svelte';
import { live as liveConnection, session } from '$lib/state.js';
import { DotVoting } from './dot-voting.svelte.js';
import { SessionLive, type SessionAnswer } from './session-live.svelte.js';

function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * What a session page needs, opened from its load and kept live while the page is mounted:
 * the session (following its room), and the member's dots. Call during component set-up.
 * A new load (after an invalidation) is applied to the same state; after the socket reconnects
 * the session is read again (events were missed) and dots still unacknowledged are sent again.
 */
export function openSession(answer: () => SessionAnswer): {
  live: SessionLive;
  voting: DotVoting | null;
} {
  const first = untrack(answer);
  const live = new SessionLive(session.api, liveConnection, first);
  const memberId = session.user?.id;
  const voting = memberId
    ? new DotVoting(
        session.api,
        { memberId, sessionId: first.view.id, dotsLeft: first.view.myDotsLeft },
        tabStorage(),
      )
    : null;

  $effect(() => untrack(() => live.connect()));
  $effect(() => {
    const next = answer();
    untrack(() => live.apply(next.view, next.offsetMs));
  });
  // The server's count of dots left wins over this tab's.
  $effect(() => {
    const left = live.view.myDotsLeft;
    if (voting) untrack(() => (voting.dotsLeft = left));
  });
  // In the vote, dots this tab (or the one it was duplicated from) still owes are sent again;
  // after it, they can no longer count.
  $effect(() => {
    const phase = live.view.phase;
    if (!voting) return;
    untrack(() => {
      if (phase === 'vote') void voting.resend();
      else if (live.view.voteEndedAt) voting.forgetPending();
    });
  });
  let wasConnected = false;
  $effect(() => {
    const connected = liveConnection.state === 'connected';
    if (connected && !wasConnected) {
      untrack(() => {
        void live.reload();
        void live.reloadCards();
        void live.measureClock();
        if (voting && live.view.phase === 'vote') void voting.resend();
      });
    }
    wasConnected = connected;
  });
  return { live, voting };
}
