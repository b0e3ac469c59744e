import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGroups, failureRecap, runSuite, sourceBytes, testSteps } from './test-runner.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

// A throw-away repository that checks itself with the real tools and the real configuration
// (eslint.config.js, tsconfig.base.json, .prettierrc.json copied; node_modules linked): one clean
// workspace, one with a type error in a spec file, one with a lint warning, and a badly formatted file.
function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'runner-'));
  const put = (path: string, body: unknown) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof body === 'string' ? body : JSON.stringify(body));
  };
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  for (const file of ['eslint.config.js', 'tsconfig.base.json', '.prettierrc.json'])
    copyFileSync(join(repoRoot, file), join(root, file));
  put('package.json', {
    name: 'fixture',
    private: true,
    type: 'module',
    workspaces: ['packages/*'],
    scripts: { 'format:check': 'prettier --check .' },
  });
  const echo = (text: string) =>
    `node -e "console.log('${text}', process.argv.slice(1).join(' '))"`;
  const workspace = (
    name: string,
    files: Record<string, string>,
    test = 'unit tests ran',
    parts: Record<string, string> = {},
  ) => {
    put(`packages/${name}/package.json`, {
      name: `@fx/${name}`,
      type: 'module',
      scripts: {
        lint: 'eslint . --max-warnings 0',
        check: 'tsc -p tsconfig.json --noEmit',
        test: echo(test),
        ...parts,
      },
    });
    put(`packages/${name}/tsconfig.json`, {
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: '.', noEmit: true },
      include: ['src/**/*.ts'],
    });
    put(
      `packages/${name}/src/sum.ts`,
      'export const sum = (a: number, b: number): number => a + b;\n',
    );
    for (const [path, body] of Object.entries(files)) put(`packages/${name}/${path}`, body);
  };
  const goodSpec = "import { sum } from './sum.js';\n\nexport const three: number = sum(1, 2);\n";
  workspace('clean', { 'src/sum.spec.ts': goodSpec }, 'cross-service suites ran', {
    'test:first': echo('first part ran'),
    'test:second': echo('second part ran'),
  });
  workspace('type-error', {
    // The largest workspace: its checks start first.
    'src/big.ts': `export const big = [\n${'  1,\n'.repeat(100)}];\n`,
    'src/sum.spec.ts':
      "import { sum } from './sum.js';\n\nexport const three: number = sum(1, 2).toFixed(0);\n",
  });
  workspace('lint-warning', {
    'src/sum.spec.ts': goodSpec,
    // A directive that suppresses nothing: eslint reports it as a warning.
    'src/quiet.ts': '// eslint-disable-next-line no-console\nexport const quiet = 1;\n',
  });
  // Everything formatted as prettier wants it, then one file that is not.
  const prettier = spawnSync(join(repoRoot, 'node_modules/.bin/prettier'), ['--write', '.'], {
    cwd: root,
  });
  if (prettier.status !== 0) throw new Error(`prettier --write: ${String(prettier.stderr)}`);
  put('packages/clean/src/ugly.ts', 'export const ugly = {a:1}\n');
  return root;
}

describe('npm test (the test runner)', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('lists prettier and each workspace’s lint and check, and the tests longest first: the cross-service parts, or its filtered run', () => {
    const root = fixture();
    roots.push(root);
    const groups = checkGroups(root).map((g) => g.map((s) => s.name));
    expect(groups.slice(0, 2)).toEqual([
      ['format (prettier --check)'],
      ['lint @fx/type-error', 'check @fx/type-error'],
    ]);
    expect(groups.slice(2).sort()).toEqual([
      ['lint @fx/clean', 'check @fx/clean'],
      ['lint @fx/lint-warning', 'check @fx/lint-warning'],
    ]);
    expect(sourceBytes(join(root, 'packages/type-error'))).toBeGreaterThan(
      sourceBytes(join(root, 'packages/clean')),
    );
    const units = [
      { name: 'unit tests @fx/lint-warning', args: ['test', '-w', '@fx/lint-warning'] },
      { name: 'unit tests @fx/type-error', args: ['test', '-w', '@fx/type-error'] },
    ];
    // A filter goes to the whole cross-service run; without one its parts run as separate steps.
    expect(testSteps(root, ['a.test.ts'], '@fx/clean')).toEqual([
      {
        name: 'cross-service suites @fx/clean',
        args: ['test', '-w', '@fx/clean', '--', 'a.test.ts'],
      },
      ...units,
    ]);
    expect(testSteps(root, [], '@fx/clean')).toEqual([
      {
        name: 'cross-service suites @fx/clean (first)',
        args: ['run', 'test:first', '-w', '@fx/clean'],
      },
      {
        name: 'cross-service suites @fx/clean (second)',
        args: ['run', 'test:second', '-w', '@fx/clean'],
      },
      ...units,
    ]);
    // The fixture runs the real prettier: past the 5 s default on a loaded machine.
  }, 30_000);

  it('recaps the last lines of each failed step, sharing the budget, and nothing when all passed', () => {
    const long = Array.from({ length: 200 }, (_, i) => `\x1b[31mline ${i}\x1b[39m`).join('\n');
    const step = (name: string, ok: boolean) => ({ name, ok, seconds: 1, output: long });
    expect(failureRecap([])).toBe('');
    const one = failureRecap([step('unit tests @a', false)]);
    expect(one.split('\n')).toHaveLength(92);
    expect(one).toContain('line 110\nline 111');
    expect(one).not.toContain('line 109\n');
    expect(one).not.toContain('\x1b[');
    const two = failureRecap([step('unit tests @a', false), step('unit tests @b', false)]);
    expect(two.match(/^agora: the end of the output of the failed step/gm)).toHaveLength(2);
    expect(two).not.toContain('line 154\n');
    expect(two).toContain('line 155\n');
  });

  it('fails on a type error in a spec file, a lint warning and bad formatting, and still runs every other step', async () => {
    const root = fixture();
    roots.push(root);
    let out = '';
    const code = await runSuite(root, ['only-this-file'], {
      write: (t) => (out += t),
      concurrency: 2,
      testConcurrency: 2,
      crossService: '@fx/clean',
    });
    expect(code).toBe(1);
    // Colours stripped: the tools colour their output when the environment forces colour (CI may).
    // eslint-disable-next-line no-control-regex
    const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
    const summary = plain.slice(plain.indexOf('agora: summary:'));
    const status = (name: string) =>
      new RegExp(`agora: {3}(ok {2}|FAIL) +[\\d.]+ s {2}${name}\\n`).exec(summary)?.[1];
    expect(status('format \\(prettier --check\\)')).toBe('FAIL');
    expect(status('check @fx/type-error')).toBe('FAIL');
    expect(status('lint @fx/lint-warning')).toBe('FAIL');
    for (const passed of [
      'lint @fx/clean',
      'check @fx/clean',
      'lint @fx/type-error',
      'check @fx/lint-warning',
      'unit tests @fx/lint-warning',
      'unit tests @fx/type-error',
      'cross-service suites @fx/clean',
    ])
      expect(status(passed), passed).toBe('ok  ');
    expect(summary).toMatch(/steps: 7 passed, 3 failed\n$/);
    // The filter reached the cross-service run, whose output is printed whole like the rest.
    expect(plain).toContain('cross-service suites ran only-this-file');
    // Each failure's own output, printed whole.
    // tsc writes `file(3,14): error` plainly and `file:3:14 - error` when colouring.
    expect(plain).toMatch(/src\/sum\.spec\.ts[(:]3[,:]\d+.*error TS2322/);
    expect(plain).toContain('Unused eslint-disable directive');
    // The end of each failure's output comes again right before the summary (a CI log's tail).
    const recap = plain.slice(plain.lastIndexOf('agora: ok  '), plain.indexOf('agora: summary:'));
    expect(recap).toContain(
      'agora: the end of the output of the failed step check @fx/type-error:',
    );
    expect(recap).toMatch(/error TS2322/);
    expect(recap).toContain('the end of the output of the failed step lint @fx/lint-warning:');
    expect(recap).not.toContain('failed step lint @fx/clean');
    // Only the deliberately bad file is reported (the rest of the fixture is formatted).
    const steps = plain.slice(0, plain.indexOf('agora: the end of the output'));
    expect(steps.match(/^\[warn\] \S+$/gm)).toEqual(['[warn] packages/clean/src/ugly.ts']);
  }, 180_000);
});
