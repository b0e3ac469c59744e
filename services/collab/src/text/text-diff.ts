/** One run of a diff: text both sides share, or text only the new (`insert`) or old (`delete`) has. */
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/**
 * Edit distance beyond which one Myers pass gives up (its trace costs about D² integers: 2 000 is
 * 16 MB at worst). A hunk that differs more is shown as deleted and inserted whole.
 */
export const MAX_EDIT_DISTANCE = 2_000;

// Words (letters, digits, marks of any script), runs of white space, any other character alone.
const wordToken = /[\p{L}\p{M}\p{N}_]+|\s+|./gsu;

/**
 * Word-level diff of two texts (Myers' O(ND) algorithm): first line by line, then word by word
 * inside each run of changed lines, so a large document with a few edits stays cheap and the
 * result reads like a reviewer's redline. `equal` + `delete` parts spell `a`, `equal` + `insert` `b`.
 */
export function diffText(a: string, b: string, maxD = MAX_EDIT_DISTANCE): DiffPart[] {
  const out: DiffPart[] = [];
  const linesA = splitLines(a);
  const linesB = splitLines(b);
  const ops = diffTokens(linesA, linesB, maxD);
  if (!ops) {
    pushWords(out, a, b, maxD);
    return slideEdits(out);
  }
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted || inserted) pushWords(out, deleted, inserted, maxD);
    deleted = '';
    inserted = '';
  };
  for (const op of ops) {
    if (op.op === 'equal') {
      flush();
      push(out, 'equal', op.text);
    } else if (op.op === 'delete') deleted += op.text;
    else inserted += op.text;
  }
  flush();
  return slideEdits(out);
}

/**
 * A lone edit between two equal runs that it ends (or starts) with is slid over that run, which
 * then disappears: `a [+b a] a` reads better as `a a [+b a]`, and `x[+.\nNew line].` as
 * `x.[+\nNew line.]` (diff-match-patch's lossless shift).
 */
function slideEdits(parts: DiffPart[]): DiffPart[] {
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 1; i < parts.length - 1; i += 1) {
      const prev = parts[i - 1] as DiffPart;
      const edit = parts[i] as DiffPart;
      const next = parts[i + 1] as DiffPart;
      if (prev.op !== 'equal' || next.op !== 'equal' || edit.op === 'equal') continue;
      if (edit.text.endsWith(prev.text)) {
        edit.text = prev.text + edit.text.slice(0, edit.text.length - prev.text.length);
        next.text = prev.text + next.text;
        parts.splice(i - 1, 1);
        changed = true;
      } else if (edit.text.startsWith(next.text)) {
        prev.text += next.text;
        edit.text = edit.text.slice(next.text.length) + next.text;
        parts.splice(i + 1, 1);
        changed = true;
      }
    }
  }
  return merged(parts);
}

function merged(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) push(out, p.op, p.text);
  return out;
}

function pushWords(out: DiffPart[], a: string, b: string, maxD: number): void {
  const ops = diffTokens(a.match(wordToken) ?? [], b.match(wordToken) ?? [], maxD);
  if (!ops) {
    push(out, 'delete', a);
    push(out, 'insert', b);
    return;
  }
  for (const op of ops) push(out, op.op, op.text);
}

/** Appends a part, merging it into the previous one of the same kind. */
function push(out: DiffPart[], op: DiffPart['op'], text: string): void {
  if (text === '') return;
  const last = out.at(-1);
  if (last?.op === op) last.text += text;
  else out.push({ op, text });
}

/** Lines with their line break kept, so joining the tokens gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Token-level diff, or null when the two sides differ by more than `maxD` tokens. */
export function diffTokens(
  a: readonly string[],
  b: readonly string[],
  maxD = MAX_EDIT_DISTANCE,
): DiffPart[] | null {
  // Common prefix and suffix cost nothing in Myers' trace.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const ids = new Map<string, number>();
  const intern = (t: string) => {
    let id = ids.get(t);
    if (id === undefined) {
      id = ids.size;
      ids.set(t, id);
    }
    return id;
  };
  const xs = Int32Array.from(a.slice(start, endA), intern);
  const ys = Int32Array.from(b.slice(start, endB), intern);
  const script = myers(xs, ys, maxD);
  if (!script) return null;

  const out: DiffPart[] = [];
  push(out, 'equal', a.slice(0, start).join(''));
  let x = 0;
  let y = 0;
  for (const step of script) {
    if (step === INSERT) {
      push(out, 'insert', b[start + y] ?? '');
      y += 1;
      continue;
    }
    push(out, step === EQUAL ? 'equal' : 'delete', a[start + x] ?? '');
    x += 1;
    if (step === EQUAL) y += 1;
  }
  push(out, 'equal', a.slice(endA).join(''));
  return out;
}

const EQUAL = 0;
const DELETE = 1;
const INSERT = 2;

/**
 * Myers' greedy shortest edit script from `a` to `b` as steps (EQUAL, DELETE, INSERT), or null
 * past `maxD` edits. Keeps the frontier of every round (about D² integers) to walk back.
 */
function myers(a: Int32Array, b: Int32Array, maxD: number): Uint8Array | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxD);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d += 1) {
    // v as it stood after round d-1, for k in [-d, d].
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, d);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number, rounds: number): Uint8Array {
  const steps: number[] = [];
  let x = n;
  let y = m;
  for (let d = rounds; d > 0; d -= 1) {
    const prev = trace[d] as Int32Array; // indexed k + d
    const k = x - y;
    const down = k === -d || (k !== d && (prev[k - 1 + d] ?? 0) < (prev[k + 1 + d] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[prevK + d] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push(EQUAL);
      x -= 1;
      y -= 1;
    }
    steps.push(x === prevX ? INSERT : DELETE);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    steps.push(EQUAL);
    x -= 1;
    y -= 1;
  }
  return Uint8Array.from(steps.reverse());
}
