import { session } from './session.svelte.js';
import { LiveConnection } from './live.svelte.js';
import { LocaleState } from './i18n/locale.svelte.js';

/** The app's single instances: one session, one socket, one UI language per tab. */
export { session };
export const live = new LiveConnection(session, { onMeUpdated: () => void session.reload() });
export const locale = new LocaleState(session);
