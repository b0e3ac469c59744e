import { invalidate } from '$app/navigation';
import { session } from './session.svelte.js';
import { LiveConnection } from './live.svelte.js';
import { LocaleState } from './i18n/locale.svelte.js';
import { dependencies } from './dependencies.js';

/** The member's account changed elsewhere: fetch it again, then rerun the loads that read it. */
async function memberChanged(): Promise<void> {
  await session.reload();
  await invalidate(dependencies.member);
}

/** The app's single instances: one session, one socket, one UI language per tab. */
export { session };
export const live = new LiveConnection(session, { onMeUpdated: () => void memberChanged() });
export const locale = new LocaleState(session);
