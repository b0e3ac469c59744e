// Subjects come only from @agora/proto (its builders, stream and consumer definitions). This test fails
// when service code spells a NATS subject itself: any string or template literal starting with `agora.`
// in services/*/src (specs excluded) is a subject not built from proto. Likewise doc names
// (`proposal:<id>`…) and socket rooms (`space:<id>`…) come only from proto's `docName` and `rooms`,
// and inside proto the per-document subject `agora.collab.doc.<kind>.<id>` is spelled by `docSubject` only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const servicesDir = join(root, 'services');

export interface SubjectLiteral {
  file: string;
  line: number;
  text: string;
}

/** `agora.<token>.<more>`: the shape of every subject proto builds (a bare `agora.x` is not one). */
const subjectShape = /^\s*agora\.[^.\s]+\./i;

/** `Symbol('agora.x')` names a symbol, never a subject. */
function isSymbolDescription(node: ts.Node): boolean {
  const call = node.parent;
  if (!ts.isCallExpression(call)) return false;
  const callee = call.expression.getText();
  return callee === 'Symbol' || callee === 'Symbol.for';
}

/** Every string/template literal in `source` whose text starts with `agora.` (comments are skipped by the scanner). */
export function findSubjectLiterals(source: string, file = 'sample.ts'): SubjectLiteral[] {
  return findLiterals(source, file, (text, whole) =>
    whole ? subjectShape.test(text) : /^\s*agora\./i.test(text),
  );
}

/** `<doc or room kind>:` alone (a name glued to an id) or with a 24-hex id: what proto's builders make. */
const nameShape = /^(proposal|board|notes|user|space|channel):([a-f0-9]{24})?$/;

/** Every string/template literal in `source` that starts a doc name or a socket room name. */
export function findNameLiterals(source: string, file = 'sample.ts'): SubjectLiteral[] {
  return findLiterals(source, file, (text) => nameShape.test(text));
}

/** String/template literals accepted by `isMatch` (`whole`: the literal has no substitutions). */
function findLiterals(
  source: string,
  file: string,
  isMatch: (text: string, whole: boolean) => boolean,
): SubjectLiteral[] {
  const found: SubjectLiteral[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const whole = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
      if (isMatch(node.text, whole) && !isSymbolDescription(node)) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
        found.push({ file, line: line + 1, text: node.text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function serviceSources(): string[] {
  const files: string[] = [];
  for (const service of readdirSync(servicesDir)) {
    const src = join(servicesDir, service, 'src');
    if (statSync(join(servicesDir, service)).isDirectory() && safeIsDir(src))
      files.push(...sourcesUnder(src));
  }
  return files;
}

/** `.ts` sources under `dir`, specs, declarations, node_modules and dist excluded. */
function sourcesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'dist') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  };
  walk(dir);
  return files;
}

function safeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

describe('contract: subjects come from proto', () => {
  it('the scanner flags hand-written subjects and ignores proto-built ones and comments', () => {
    const sample = [
      `import { identityRpc, identityEvents } from '@agora/proto';`,
      `// agora.identity.login is mentioned in a comment: fine`,
      `/** 'agora.identity.evt.member.registered' in a doc comment: fine */`,
      `nc.subscribe(identityRpc.login.subject);`,
      `nc.publish('agora.identity.evt.member.registered', data);`,
      `nc.request("agora.spaces.get", data);`,
      'nc.subscribe(`agora.chat.${room}.typing`);',
      'const s = `agora.points.evt.awarded`;',
      `const label = 'agora is a hub';`,
      `const key = Symbol('agora.request-state.x');`,
      `const shortName = 'agora.identity';`,
      `js.publish('agora.deadletter.' + durable, data);`,
      'js.publish(`agora.collab.doc.${kind}.${id}`, update);',
      `js.publish(docSubject(name), update);`,
    ].join('\n');
    const found = findSubjectLiterals(sample);
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [5, 'agora.identity.evt.member.registered'],
      [6, 'agora.spaces.get'],
      [7, 'agora.chat.'],
      [8, 'agora.points.evt.awarded'],
      [12, 'agora.deadletter.'],
      [13, 'agora.collab.doc.'],
    ]);
  });

  it('the name scanner flags hand-made doc names and rooms, and ignores built ones', () => {
    const sample = [
      `const doc = docName('proposal', id);`,
      'const doc = `proposal:${id}`;',
      `const doc = 'board:' + id;`,
      'socket.join(`space:${spaceId}`);',
      `io.to('user:' + memberId);`,
      `socket.join(rooms.channel(channelId));`,
      `const label = 'notes: see below';`,
      `const text = 'a proposal: fine';`,
      `const fixed = 'notes:0123456789abcdef01234567';`,
    ].join('\n');
    expect(findNameLiterals(sample).map((f) => [f.line, f.text])).toEqual([
      [2, 'proposal:'],
      [3, 'board:'],
      [4, 'space:'],
      [5, 'user:'],
      [9, 'notes:0123456789abcdef01234567'],
    ]);
  });

  it('service code spells no NATS subject itself', () => {
    const files = serviceSources();
    // The scan must see real code, or it proves nothing.
    expect(files.some((f) => f.includes(join('services', 'platform', 'src')))).toBe(true);
    const offenders = files.flatMap((file) =>
      findSubjectLiterals(readFileSync(file, 'utf8'), relative(root, file)),
    );
    expect(
      offenders.map((o) => `${o.file}:${o.line}: '${o.text}' — build it from @agora/proto`),
    ).toEqual([]);
  });

  it('service code makes no doc name or socket room itself (docName, rooms)', () => {
    const offenders = serviceSources().flatMap((file) =>
      findNameLiterals(readFileSync(file, 'utf8'), relative(root, file)),
    );
    expect(
      offenders.map((o) => `${o.file}:${o.line}: '${o.text}' — use docName() or rooms from proto`),
    ).toEqual([]);
  });

  it('inside proto, only docSubject spells a per-document subject', () => {
    const protoSources = sourcesUnder(join(root, 'proto', 'src'));
    expect(protoSources.some((f) => f.endsWith(join('proto', 'src', 'doc-names.ts')))).toBe(true);
    const offenders = protoSources
      .filter((f) => !f.endsWith(join('proto', 'src', 'doc-names.ts')))
      .flatMap((file) => findSubjectLiterals(readFileSync(file, 'utf8'), relative(root, file)))
      .filter((o) => /^\s*agora\.collab\.doc\b/.test(o.text));
    expect(offenders.map((o) => `${o.file}:${o.line}: '${o.text}'`)).toEqual([]);
  });
});
