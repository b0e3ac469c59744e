import { live, session } from '../state.js';
import { ChatInbox } from './inbox.svelte.js';
import { PeopleDirectory } from './people.js';
import { SpaceTitles } from './space-titles.js';

/** The tab's one directory of member names for every chat view. */
export const people = new PeopleDirectory(() => session.api);

/** The tab's one list of my channels with unread counts (chat page and nav badge). */
export const inbox = new ChatInbox(
  () => session.api,
  live,
  () => session.user?.id,
);

/** The tab's one cache of the spaces behind space channels. */
export const spaceTitles = new SpaceTitles(() => session.api);
