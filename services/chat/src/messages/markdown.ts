import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** `[label](mention:<memberId>)`: how the web writes an @mention into a body. */
const MENTION_HREF = /^mention:([a-f0-9]{24})$/;

// Raw HTML in a body is shown as text, never passed through: the renderer escapes it.
const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    // Images are attachments, not inline markdown: an image tag would fetch any URL.
    image({ text }) {
      return escapeHtml(text);
    },
    // Headings and tables are not in the subset: their text stays, as a paragraph.
    heading({ tokens }) {
      return `<p>${this.parser.parseInline(tokens)}</p>`;
    },
  },
});

const allowed: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'span',
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'], span: ['class', 'data-member-id'] },
  allowedSchemes: ['http', 'https', 'mailto', 'mention'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
      const mention = MENTION_HREF.exec(attribs.href ?? '');
      if (mention)
        return {
          tagName: 'span',
          attribs: { class: 'mention', 'data-member-id': mention[1] ?? '' },
        };
      return {
        tagName,
        attribs: {
          ...(attribs.href ? { href: attribs.href } : {}),
          rel: 'noopener noreferrer nofollow',
          target: '_blank',
        },
      };
    },
  },
  // Only the mention class may be set on a span (the one span the renderer makes).
  allowedClasses: { span: ['mention'] },
};

/**
 * The safe markdown subset (bold, italics, strike, links, lists, quotes, code) as HTML: `marked`
 * renders, then `sanitize-html` keeps only the allow-list above, whatever `marked` let through.
 */
export function renderMarkdown(body: string): string {
  return isPlainLine(body) ? `<p>${body}</p>` : parseAndSanitize(body);
}

/** `renderMarkdown` without the plain-line shortcut: always `marked`, then `sanitize-html`. */
export function parseAndSanitize(body: string): string {
  const html = marked.parse(body, { async: false });
  return sanitizeHtml(html, allowed).trim();
}

/**
 * One line of words that no markdown rule and no HTML escape touches: it starts with a letter,
 * holds only letters, digits, spaces and `.,;!?()=/-`, ends without a space and names no `www.`
 * (an autolink). `marked` + `sanitize-html` make exactly `<p>…</p>` of it (the spec compares the
 * two on a corpus), so the parse is skipped — most chat messages are such lines.
 */
const PLAIN_LINE = /^\p{L}[\p{L}\p{N} .,;!?()=/-]*$/u;
export function isPlainLine(body: string): boolean {
  return (
    body.length <= 2_000 && PLAIN_LINE.test(body) && !body.endsWith(' ') && !/www\./i.test(body)
  );
}

/** Member ids a body mentions (`[label](mention:<id>)`), each once, in order. */
export function mentionedIds(body: string): string[] {
  const ids = [...body.matchAll(/\]\(mention:([a-f0-9]{24})\)/g)].map((m) => m[1] ?? '');
  return [...new Set(ids.filter((id) => id.length > 0))];
}
