import { spawn, type ChildProcess } from 'node:child_process';
import { linePrefixer } from './log-prefix.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Resolves once the child is ready to serve. */
  ready: (child: ManagedChild) => Promise<void>;
}

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  /** Everything the child printed, for ready checks that wait on a line. */
  output(): string;
  exited: Promise<number | null>;
}

export interface SupervisorOptions {
  write: (text: string) => void;
  color: boolean;
  /** Pass pino JSON lines through unchanged instead of rendering them readable. */
  rawLogs?: boolean;
  /** Aborting it makes a pending `start` reject at once (Ctrl-C while the hub is starting). */
  signal?: AbortSignal;
  /** Called when a child exits on its own while the hub runs. */
  onUnexpectedExit: (name: string, code: number | null) => void;
}

/** Starts children in order, prefixes their logs, and stops them in reverse order. */
export class Supervisor {
  private readonly children: ManagedChild[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {}

  async start(spec: ChildSpec): Promise<ManagedChild> {
    this.options.signal?.throwIfAborted();
    const proc = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: a terminal's Ctrl-C reaches only the launcher, which then stops the
      // children one by one in reverse order (services drain NATS before nats-server goes away).
      detached: true,
    });
    let output = '';
    const prefix = linePrefixer(
      spec.name,
      this.children.length,
      this.options.write,
      this.options.color,
      this.options.rawLogs,
    );
    const onData = (chunk: Buffer) => {
      if (output.length < 64 * 1024) output += chunk.toString();
      prefix.push(chunk);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    const exited = new Promise<number | null>((resolve) => {
      proc.once('exit', (code) => {
        prefix.flush();
        if (!this.stopping) this.options.onUnexpectedExit(spec.name, code);
        resolve(code);
      });
      proc.once('error', (err) => {
        this.options.write(`[${spec.name}] could not start: ${err.message}\n`);
        resolve(null);
      });
    });
    const child: ManagedChild = { name: spec.name, process: proc, output: () => output, exited };
    this.children.push(child);
    if (this.children.length === 1) process.once('exit', this.killSurvivors);
    await Promise.race([
      spec.ready(child),
      exited.then((code) => {
        throw new Error(
          `${spec.name} exited (code ${code}) before it was ready; its log lines above say why`,
        );
      }),
      aborted(this.options.signal),
    ]);
    return child;
  }

  /** Last resort when the launcher itself exits without stopping: no orphaned children. */
  private readonly killSurvivors = (): void => {
    for (const child of this.children) {
      if (child.process.exitCode === null && child.process.signalCode === null)
        child.process.kill('SIGKILL');
    }
  };

  /** SIGTERM in reverse start order; SIGKILL whatever is still running after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      if (child.process.exitCode !== null || child.process.signalCode !== null) continue;
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
