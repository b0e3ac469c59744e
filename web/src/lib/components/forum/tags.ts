import { forumTags, type ForumTag } from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';

/** A tag's name in the reader's language. */
export function tagLabel(tag: ForumTag): string {
  switch (tag) {
    case 'news':
      return m.forum_tag_news();
    case 'event':
      return m.forum_tag_event();
    case 'testimonial':
      return m.forum_tag_testimonial();
    case 'mistake-to-learn-from':
      return m.forum_tag_mistake();
    case 'inspiring-story':
      return m.forum_tag_inspiring();
    case 'job-offer':
      return m.forum_tag_job();
    case 'question':
      return m.forum_tag_question();
  }
}

export { forumTags };
