import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { listWorkspaces } from './workspaces.js';

/** One command of the suite: `npm <args>` from the repository root. */
export interface Step {
  name: string;
  args: string[];
}

export interface StepResult {
  name: string;
  ok: boolean;
  seconds: number;
  /** Everything the step printed (stdout and stderr, in order). */
  output: string;
}

export interface SuiteOptions {
  /** Where summaries and buffered check output go. */
  write: (text: string) => void;
  /** Check groups run at once (default: the machine's cores, at most 4). */
  concurrency?: number;
  /**
   * Test steps run at once (`AGORA_TEST_LANES`; default: half the cores, 1 to 2). A cross-service
   * part keeps about a core busy: on 2 cores the two parts side by side took longer (930 s) than
   * one after the other (870 s), and a browser wait timed out.
   */
  testConcurrency?: number;
  /** The workspace whose tests run last and receive the filter arguments. */
  crossService?: string;
  /** Environment of every step (default: this process's, with CI defined). */
  env?: NodeJS.ProcessEnv;
}

/** Folders that hold no source of the workspace's own (dependencies, builds, generated files). */
const NOT_SOURCE = new Set([
  'node_modules',
  'dist',
  'build',
  '.svelte-kit',
  '.cache',
  '.data',
  'paraglide',
]);

/** Bytes of a workspace's source files: what its lint and type check read, so how long they take. */
export function sourceBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_SOURCE.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += sourceBytes(path);
    else if (/\.(ts|svelte|m?js|cjs)$/.test(entry.name)) bytes += statSync(path).size;
  }
  return bytes;
}

/**
 * The static checks the repository configures, as groups: the root's `format:check` (prettier) and
 * each workspace's `lint` and `check` scripts. A workspace's steps form one group and run one after
 * the other (the web's both regenerate the same files); groups are independent. Prettier first,
 * then the largest workspaces: a long group started last would run alone at the end while the other
 * cores idle (the web's, 2.5 times the next one, came last in listing order).
 */
export function checkGroups(root: string): Step[][] {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const groups: Step[][] = [];
  if (rootPkg.scripts?.['format:check'])
    groups.push([{ name: 'format (prettier --check)', args: ['run', 'format:check'] }]);
  const sized = listWorkspaces(root).map((ws) => ({ ws, bytes: sourceBytes(join(root, ws.dir)) }));
  for (const { ws } of sized.sort((a, b) => b.bytes - a.bytes)) {
    const steps = ['lint', 'check']
      .filter((script) => ws.scripts[script])
      .map((script) => ({ name: `${script} ${ws.name}`, args: ['run', script, '-w', ws.name] }));
    if (steps.length > 0) groups.push(steps);
  }
  return groups;
}

/**
 * The test steps, longest first: the cross-service workspace's parts, then every other workspace's
 * unit tests. Its parts are its `test:<part>` scripts (independent halves of its suites, run side by
 * side); without a filter each part is one step. With filter arguments (or without parts) the
 * cross-service step is its `test` script with those arguments, so a filter that matches nothing
 * still fails.
 */
export function testSteps(root: string, args: string[], crossService: string): Step[] {
  const workspaces = listWorkspaces(root).filter((ws) => ws.scripts.test);
  const cross = workspaces.find((ws) => ws.name === crossService);
  const parts = Object.keys(cross?.scripts ?? {}).filter((script) => script.startsWith('test:'));
  const crossSteps: Step[] = !cross
    ? []
    : args.length === 0 && parts.length > 0
      ? parts.map((script) => ({
          name: `cross-service suites ${cross.name} (${script.slice('test:'.length)})`,
          args: ['run', script, '-w', cross.name],
        }))
      : [
          {
            name: `cross-service suites ${cross.name}`,
            args: ['test', '-w', cross.name, ...(args.length ? ['--', ...args] : [])],
          },
        ];
  return [
    ...crossSteps,
    ...workspaces
      .filter((ws) => ws.name !== crossService)
      .map((ws) => ({ name: `unit tests ${ws.name}`, args: ['test', '-w', ws.name] })),
  ];
}

/** Runs `npm <args>` with its output captured (stdout and stderr interleaved as they came). */
function runNpm(root: string, step: Step, env: NodeJS.ProcessEnv): Promise<StepResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', step.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    const done = (ok: boolean) =>
      resolve({
        name: step.name,
        ok,
        seconds: (Date.now() - started) / 1000,
        output: Buffer.concat(chunks).toString(),
      });
    child.once('error', (err) => {
      chunks.push(Buffer.from(`could not run npm: ${err.message}\n`));
      done(false);
    });
    child.once('close', (code) => done(code === 0));
  });
}

/** Lines of failed steps' output repeated before the summary, shared among the failed steps. */
const RECAP_LINES = 90;
// eslint-disable-next-line no-control-regex
const COLOUR = /\x1b\[[0-9;]*m/g;

/**
 * The end of each failed step's output (colours stripped), repeated just before the summary: a
 * CI log is often read from its tail only, where a failing test's name and error would otherwise
 * sit hundreds of lines above, inside the output of a step that finished long before.
 */
export function failureRecap(failures: readonly StepResult[]): string {
  if (failures.length === 0) return '';
  const perStep = Math.max(20, Math.floor(RECAP_LINES / failures.length));
  return failures
    .map((r) => {
      const lines = r.output.replace(COLOUR, '').trimEnd().split('\n');
      const tail = lines.slice(-perStep).join('\n');
      return `agora: the end of the output of the failed step ${r.name}:\n${tail}\n`;
    })
    .join('');
}

/**
 * Runs the groups `concurrency` at a time, every step whatever the others did. Each step's output
 * is buffered and printed whole when it ends, so parallel steps never interleave.
 */
export async function runGroups(
  root: string,
  groups: Step[][],
  options: Required<Pick<SuiteOptions, 'write' | 'concurrency' | 'env'>> & { announce?: boolean },
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const queue = [...groups];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const step of group) {
        if (options.announce) options.write(`agora: running ${step.name}…\n`);
        const result = await runNpm(root, step, options.env);
        results.push(result);
        options.write(
          `agora: ${result.ok ? 'ok  ' : 'FAIL'} ${step.name} (${result.seconds.toFixed(1)} s)\n` +
            result.output,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return results;
}

/**
 * `npm test`: the static checks (in parallel), then the tests (a few at a time, longest first: they
 * start real servers, so more than the cores allow would only slow each other), then one summary of every
 * step. Exit code 1 when any step failed.
 */
export async function runSuite(
  root: string,
  args: string[],
  options: SuiteOptions,
): Promise<number> {
  const started = Date.now();
  const { write } = options;
  const env = options.env ?? { ...process.env, CI: process.env.CI ?? '' };
  const concurrency = options.concurrency ?? Math.min(availableParallelism(), 4);
  const groups = checkGroups(root);
  write(`agora: running ${groups.flat().length} checks, ${concurrency} at a time…\n`);
  const results = await runGroups(root, groups, { write, concurrency, env });
  const testConcurrency =
    options.testConcurrency ??
    (Number(env.AGORA_TEST_LANES) ||
      Math.min(Math.max(1, Math.floor(availableParallelism() / 2)), 2));
  const tests = testSteps(root, args, options.crossService ?? '@agora/tests');
  write(`agora: running ${tests.length} test steps, ${testConcurrency} at a time…\n`);
  results.push(
    ...(await runGroups(
      root,
      tests.map((step) => [step]),
      { write, concurrency: testConcurrency, env, announce: true },
    )),
  );
  const failures = results.filter((r) => !r.ok);
  write(failureRecap(failures));
  const failed = failures.length;
  write('agora: summary:\n');
  for (const r of results)
    write(`agora:   ${r.ok ? 'ok  ' : 'FAIL'} ${r.seconds.toFixed(1).padStart(6)} s  ${r.name}\n`);
  write(`agora: total ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  write(`steps: ${results.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}
