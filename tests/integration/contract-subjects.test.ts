// Subjects come only from @agora/proto (its builders, stream and consumer definitions). This test fails
// when service code spells a NATS subject itself: any string or template literal starting with `agora.`
// in services/*/src (specs excluded) is a subject not built from proto.
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
      const isSubject =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? subjectShape.test(node.text)
          : /^\s*agora\./i.test(node.text);
      if (isSubject && !isSymbolDescription(node)) {
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
  for (const service of readdirSync(servicesDir)) {
    const src = join(servicesDir, service, 'src');
    if (statSync(join(servicesDir, service)).isDirectory() && safeIsDir(src)) walk(src);
  }
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
    ].join('\n');
    const found = findSubjectLiterals(sample);
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [5, 'agora.identity.evt.member.registered'],
      [6, 'agora.spaces.get'],
      [7, 'agora.chat.'],
      [8, 'agora.points.evt.awarded'],
      [12, 'agora.deadletter.'],
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
});
