import { spawn, type ChildProcess } from 'node:child_process';
import { linePrefixer } from './log-prefix.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  /** Added to the launcher's environment; `undefined` keeps a variable of the launcher's out. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves once the child is ready to serve. */
  ready: (child: ManagedChild) => Promise<void>;
}

export interface ManagedChild {
  name: string;
  /** The running process (after a restart, the new one). */
  readonly process: ChildProcess;
  /** Everything the current process printed, for ready checks that wait on a line. */
  output(): string;
  /** Settles when the current process exits. */
  readonly exited: Promise<number | null>;
}

export interface SupervisorOptions {
  write: (text: string) => void;
  color: boolean;
  /** Pass pino JSON lines through unchanged instead of rendering them readable. */
  rawLogs?: boolean;
  /** Aborting it makes a pending `start` reject at once (Ctrl-C while the hub is starting). */
  signal?: AbortSignal;
  /**
   * A child that was ready exited on its own: it is restarted in `restartInMs`, or, when it
   * keeps failing (`null`), left down.
   */
  onUnexpectedExit: (name: string, code: number | null, restartInMs: number | null) => void;
  /** A restarted child is ready again. */
  onRestarted?: (name: string) => void;
  /** Waits before each restart of a child that keeps failing; past the last one it stays down. */
  restartDelaysMs?: readonly number[];
  /** A child that ran this long before exiting starts again from the first delay. */
  stableAfterMs?: number;
}

const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 20_000];
const STABLE_AFTER_MS = 60_000;

interface Run {
  process: ChildProcess;
  exited: Promise<number | null>;
  output: string;
  startedAt: number;
  /** Its ready check passed (false again for the next run after a crash). */
  ready: boolean;
}

class SupervisedChild implements ManagedChild {
  run!: Run;
  /** Ready once: from then on an exit is a crash to restart from. */
  started = false;
  /** Restarts since the child last ran stably. */
  crashes = 0;
  restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly index: number,
  ) {}

  get process(): ChildProcess {
    return this.run.process;
  }

  get exited(): Promise<number | null> {
    return this.run.exited;
  }

  output(): string {
    return this.run.output;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Running and ready: what the origin may send requests to. */
  get live(): boolean {
    return this.run.ready && this.running;
  }
}

/** Starts children in order, prefixes their logs, restarts crashed ones, stops them in reverse order. */
export class Supervisor {
  private readonly children: SupervisedChild[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {}

  async start(spec: ChildSpec): Promise<ManagedChild> {
    this.options.signal?.throwIfAborted();
    const child = new SupervisedChild(spec.name, this.children.length);
    this.spawn(spec, child);
    this.children.push(child);
    if (this.children.length === 1) process.once('exit', this.killSurvivors);
    await Promise.race([
      spec.ready(child),
      child.exited.then((code) => {
        throw new Error(
          `${spec.name} exited (code ${code}) before it was ready; its log lines above say why`,
        );
      }),
      aborted(this.options.signal),
    ]);
    child.started = true;
    child.run.ready = true;
    return child;
  }

  /** Whether the child started under `name` runs and is ready now (false while it restarts). */
  isLive(name: string): boolean {
    return this.children.find((c) => c.name === name)?.live ?? false;
  }

  private spawn(spec: ChildSpec, child: SupervisedChild): Run {
    const proc = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: a terminal's Ctrl-C reaches only the launcher, which then stops the
      // children one by one in reverse order (services drain NATS before nats-server goes away).
      detached: true,
    });
    const prefix = linePrefixer(
      spec.name,
      child.index,
      this.options.write,
      this.options.color,
      this.options.rawLogs,
    );
    const run: Run = {
      process: proc,
      exited: Promise.resolve(null),
      output: '',
      startedAt: Date.now(),
      ready: false,
    };
    const onData = (chunk: Buffer) => {
      if (run.output.length < 64 * 1024) run.output += chunk.toString();
      prefix.push(chunk);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    run.exited = new Promise<number | null>((resolve) => {
      proc.once('exit', (code) => {
        prefix.flush();
        resolve(code);
        if (!this.stopping && child.started && child.run === run)
          this.restartLater(spec, child, code);
      });
      proc.once('error', (err) => {
        this.options.write(`[${spec.name}] could not start: ${err.message}\n`);
        resolve(null);
      });
    });
    child.run = run;
    return run;
  }

  /** Restarts with growing delays; a child that keeps failing is left down. */
  private restartLater(spec: ChildSpec, child: SupervisedChild, code: number | null): void {
    if (Date.now() - child.run.startedAt >= (this.options.stableAfterMs ?? STABLE_AFTER_MS))
      child.crashes = 0;
    const delay = (this.options.restartDelaysMs ?? RESTART_DELAYS_MS)[child.crashes];
    this.options.onUnexpectedExit(spec.name, code, delay ?? null);
    if (delay === undefined) return;
    child.crashes += 1;
    child.restartTimer = setTimeout(() => {
      child.restartTimer = undefined;
      if (this.stopping) return;
      const run = this.spawn(spec, child);
      // A run that dies before it is ready is restarted by its exit; only the current one reports.
      spec.ready(child).then(
        () => {
          run.ready = true;
          if (child.run === run && !this.stopping) this.options.onRestarted?.(spec.name);
        },
        () => undefined,
      );
    }, delay);
  }

  /** Last resort when the launcher itself exits without stopping: no orphaned children. */
  private readonly killSurvivors = (): void => {
    for (const child of this.children) if (child.running) child.process.kill('SIGKILL');
  };

  /** SIGTERM in reverse start order; SIGKILL whatever is still running after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const child of this.children) clearTimeout(child.restartTimer);
    for (const child of [...this.children].reverse()) {
      if (!child.running) continue;
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      await child.exited;
      clearTimeout(timer);
    }
    this.children.length = 0;
    process.removeListener('exit', this.killSurvivors);
  }
}

/** Polls an HTTP URL until it answers 200. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s (${last})`);
}

/** Waits until the child printed a line matching `pattern`. */
export async function waitForOutput(
  child: ManagedChild,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = child.output().match(pattern);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not print ${pattern} within ${timeoutMs / 1000} s`);
}

/** Rejects when `signal` aborts; never settles without one. */
function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
