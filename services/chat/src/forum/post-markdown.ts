import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { storedImageUrlPattern } from '@agora/proto';

/**
 * The only images a post may show: those stored by Agora, on its own origin (identity's media and
 * forum images, `POST /api/forum/images`).
 */
const STORED_IMAGE = storedImageUrlPattern;

const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in a body is shown as text, never passed through.
    html({ text }) {
      return escapeHtml(text);
    },
    // A stored image is shown; any other URL stays text (an img tag would fetch anything).
    image({ href, text }) {
      if (!STORED_IMAGE.test(href)) return escapeHtml(text);
      return `<img src="${href}" alt="${escapeHtml(text)}" loading="lazy">`;
    },
    // A post's headings are one level, below the post's own title.
    heading({ tokens }) {
      return `<h4>${this.parser.parseInline(tokens)}</h4>`;
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
    'h4',
    'img',
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'], img: ['src', 'alt', 'loading'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  exclusiveFilter: (frame) => frame.tag === 'img' && !STORED_IMAGE.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => ({
      tagName,
      attribs: {
        ...(attribs.href ? { href: attribs.href } : {}),
        rel: 'noopener noreferrer nofollow',
        target: '_blank',
      },
    }),
  },
};

/**
 * A post's or comment's markdown as safe HTML: `marked` renders (raw HTML escaped, only stored
 * images), then `sanitize-html` keeps only the allow-list, whatever `marked` let through.
 */
export function renderPostMarkdown(body: string): string {
  const html = marked.parse(body, { async: false });
  return sanitizeHtml(html, allowed).trim();
}
