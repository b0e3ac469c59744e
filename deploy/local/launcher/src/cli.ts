import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHub } from './hub.js';
import { ensureNatsServer } from './nats-binary.js';
import { PortTakenError } from './ports.js';
import { runSuite } from './test-runner.js';

const say = (line: string) => process.stdout.write(`agora: ${line}\n`);

async function start(root: string): Promise<number> {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    process.stderr.write(`agora: PORT=${process.env.PORT} is not a valid port number\n`);
    return 1;
  }
  const started = Date.now();
  // Signals are handled from the first moment: during start-up they cancel it (what already runs is
  // stopped in reverse order); once running they stop the hub; a second one kills what is left.
  const cancel = new AbortController();
  let stopping = false;
  let stopHub: (() => Promise<void>) | null = null;
  const stopped = new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      if (stopping) {
        // The supervisor's exit hook SIGKILLs whatever is still running.
        say(`${signal} again: killing what is still running`);
        process.exit(130);
      }
      stopping = true;
      say(`${signal}: stopping (children in reverse order; Ctrl-C again to kill)…`);
      if (!stopHub) {
        cancel.abort(new Error(`start cancelled by ${signal}`));
        return;
      }
      stopHub().then(
        () => {
          say('stopped; data kept in .data/');
          resolve(0);
        },
        (err: Error) => {
          process.stderr.write(`agora: error while stopping: ${err.message}\n`);
          resolve(1);
        },
      );
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.on(signal, () => shutdown(signal));
  });
  let hub;
  try {
    hub = await startHub({
      port,
      host: process.env.HOST || '127.0.0.1',
      dataDir: join(root, '.data'),
      root,
      signal: cancel.signal,
    });
  } catch (err) {
    if (cancel.signal.aborted) {
      say('start cancelled; everything it had started is stopped');
      return 130;
    }
    process.stderr.write(
      `agora: ${err instanceof PortTakenError ? '' : 'could not start: '}${(err as Error).message}\n`,
    );
    return 1;
  }
  if (cancel.signal.aborted) {
    // The signal came after the last child was ready.
    await hub.stop();
    say('start cancelled; everything it had started is stopped');
    return 130;
  }
  const running = hub;
  stopHub = () => running.stop();
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const s of hub.services) say(`  ${s.name.padEnd(9)} ${s.url}`);
  say(`open ${hub.url}  (API docs: ${hub.url}/api/docs) — data in .data/, Ctrl-C to stop`);
  return stopped;
}

/** Debian's chromium for the e2e suite: installed when root and missing. */
function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the e2e suite needs Debian chromium at /usr/bin/chromium: sudo apt-get install chromium',
    );
  }
  say('installing Debian chromium for the e2e suite…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) throw new Error('could not install chromium with apt-get');
}

/** `npm test`: prerequisites, then every check and every suite (test-runner.ts). */
async function test(root: string, args: string[]): Promise<number> {
  try {
    const nats = ensureNatsServer(join(root, '.cache'), say);
    process.env.PATH = `${join(nats, '..')}:${process.env.PATH ?? ''}`;
    ensureChromium();
  } catch (err) {
    process.stderr.write(`agora: ${(err as Error).message}\n`);
    return 1;
  }
  return runSuite(root, args, { write: (t) => process.stdout.write(t) });
}

/** The embedded store alone, in the foreground; signals are passed on so it closes its files. */
function store(root: string, args: string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(root, 'deploy/local/store/bin/agora-store.mjs'), ...args],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once('error', (err) => {
      process.stderr.write(`agora: could not run the store: ${err.message}\n`);
      resolve(1);
    });
  });
}

/** Entry from bin/agora.mjs after install and build. */
export async function main(command: string, args: string[], root: string): Promise<number> {
  switch (command) {
    case 'start':
      return start(root);
    case 'test':
      return test(root, args);
    case 'store':
      return store(root, args);
    default:
      process.stderr.write(`agora: unknown command '${command}' (use start, test or store)\n`);
      return 2;
  }
}
