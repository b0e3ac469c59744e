/** A piece of a mail's plain text: words, or a web address the dev mailbox makes clickable. */
export type MailPart = { kind: 'text'; text: string } | { kind: 'link'; href: string };

// http(s) addresses up to whitespace or an angle bracket; trailing punctuation is not part of it.
const address = /https?:\/\/[^\s<>"]+/g;
const trailing = /[.,;:!?)\]}'»”]+$/;

/** Splits a mail's text into text and links (only http and https: nothing else is followed). */
export function mailParts(text: string): MailPart[] {
  const parts: MailPart[] = [];
  let last = 0;
  for (const match of text.matchAll(address)) {
    const raw = match[0];
    const href = raw.replace(trailing, '');
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    if (isWebAddress(href)) parts.push({ kind: 'link', href });
    else parts.push({ kind: 'text', text: href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The distinct links of a mail, in order. */
export function mailLinks(text: string): string[] {
  return [...new Set(mailParts(text).flatMap((p) => (p.kind === 'link' ? [p.href] : [])))];
}

function isWebAddress(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
