import type { AttachmentContentType } from '@agora/proto';

/** What the first bytes say a file is (never its name or declared type). */
export type SniffedType = 'jpeg' | 'png' | 'gif' | 'webp' | 'pdf';

const startsWith = (bytes: Uint8Array, ...sig: number[]): boolean =>
  bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, to - from)).toString('latin1');

/** The type by magic bytes at offset 0, or null for anything else (HTML, SVG, text, ...). */
export function sniff(bytes: Uint8Array): SniffedType | null {
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  const head = ascii(bytes, 0, Math.min(bytes.length, 16));
  if (/^GIF8[79]a/.test(head)) return 'gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  if (/^%PDF-(1\.[0-7]|2\.0)/.test(head)) return 'pdf';
  return null;
}

/** How far from the end a PDF's trailer (`startxref`, `%%EOF`) may begin. */
const TRAILER_WINDOW = 2048;

/**
 * A PDF's skeleton, as a reader finds it: the `%PDF-x.y` header at offset 0, and at the end a
 * `startxref` whose offset points inside the file at a cross-reference table (`xref`) or stream
 * (`n g obj`), then `%%EOF`. Returns why it is not one, or null when it is.
 */
export function pdfProblem(bytes: Uint8Array): string | null {
  if (sniff(bytes) !== 'pdf') return 'no %PDF- header';
  const from = Math.max(0, bytes.length - TRAILER_WINDOW);
  const tail = ascii(bytes, from, bytes.length);
  const eof = tail.lastIndexOf('%%EOF');
  if (eof < 0) return 'no %%EOF at its end';
  const matches = [...tail.slice(0, eof).matchAll(/startxref\s+(\d{1,12})\s*$/g)];
  const last = matches.at(-1);
  if (!last?.[1]) return 'no startxref before %%EOF';
  const offset = Number(last[1]);
  if (offset <= 0 || offset >= bytes.length) return 'startxref points outside the file';
  const at = ascii(bytes, offset, Math.min(bytes.length, offset + 32));
  if (!/^(xref\b|\d+\s+\d+\s+obj\b)/.test(at)) return 'startxref points at no cross-reference';
  return null;
}

/** The stored type and extension of an accepted file (a GIF is stored as a still PNG). */
export const storedAs: Record<SniffedType, { contentType: AttachmentContentType; ext: string }> = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg' },
  png: { contentType: 'image/png', ext: 'png' },
  gif: { contentType: 'image/png', ext: 'png' },
  webp: { contentType: 'image/webp', ext: 'webp' },
  pdf: { contentType: 'application/pdf', ext: 'pdf' },
};

/** Extensions that name a type: a file's one is replaced when its content is another type. */
const TYPED_EXT =
  /\.(pdf|png|jpe?g|jfif|gif|webp|bmp|tiff?|svg|html?|xhtml|xml|js|mjs|txt|exe|zip)$/i;
const SAME: Record<string, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jfif'],
  png: ['png'],
  webp: ['webp'],
  pdf: ['pdf'],
};

/**
 * The name a file is shown and downloaded under: its extension says what it is ("report.pdf"
 * holding a PNG becomes "report.png"), control characters and quotes gone.
 */
export function storedName(name: string, ext: string): string {
  const clean = name
    .replace(/[\p{Cc}\p{Cf}"\\/]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  const own = /\.([A-Za-z0-9]{1,5})$/.exec(clean)?.[1]?.toLowerCase();
  if (own && (SAME[ext] ?? []).includes(own)) return clean;
  const base = clean.replace(TYPED_EXT, '') || 'file';
  return `${base.slice(0, 190)}.${ext}`;
}
