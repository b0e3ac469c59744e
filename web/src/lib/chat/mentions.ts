/** A member picked from the mention list while writing. */
export interface MentionPick {
  readonly memberId: string;
  readonly name: string;
}

/** `[label](mention:<id>)`: how chat reads an @mention in a body (see chat's markdown). */
const mentionLink = /\[((?:\\.|[^\]\\])*)\]\(mention:([a-f0-9]{24})\)/g;

/** Markdown-escapes a name for a link label (brackets and backslashes). */
function labelOf(name: string): string {
  return name.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/**
 * The composer's text, where picked members read as `@Name`, as the body chat stores: each
 * `@Name` of a pick becomes a mention link (longest names first, so "@Ana Maria" wins over "@Ana").
 */
export function encodeMentions(text: string, picks: readonly MentionPick[]): string {
  const byLength = [...picks].sort((a, b) => b.name.length - a.name.length);
  let out = '';
  let i = 0;
  outer: while (i < text.length) {
    if (text[i] === '@') {
      for (const pick of byLength) {
        const token = `@${pick.name}`;
        const after = text[i + token.length];
        // A whole name only: "@Ana" does not take the start of "@Anabela".
        if (text.startsWith(token, i) && (after === undefined || !/[\p{L}\p{N}_]/u.test(after))) {
          out += `[${labelOf(pick.name)}](mention:${pick.memberId})`;
          i += token.length;
          continue outer;
        }
      }
    }
    out += text[i];
    i += 1;
  }
  return out;
}

/** The other way, to edit a stored body: mention links back to `@Name` with their picks. */
export function decodeMentions(body: string): { text: string; picks: MentionPick[] } {
  const picks = new Map<string, MentionPick>();
  const text = body.replace(mentionLink, (_, label: string, memberId: string) => {
    const name = label.replace(/\\(.)/g, '$1');
    picks.set(`${memberId}:${name}`, { memberId, name });
    return `@${name}`;
  });
  return { text, picks: [...picks.values()] };
}

/** The `@query` being typed just before the caret, if any (what the mention list filters by). */
export function mentionQueryAt(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s(])@([\p{L}\p{N}_.\- ]{0,30})$/u.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  // A space ends the query unless a name could still match (checked by the caller's filter).
  return { start: caret - query.length - 1, query };
}
