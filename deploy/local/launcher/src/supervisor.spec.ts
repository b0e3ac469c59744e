import { describe, expect, it } from 'vitest';
import { Supervisor, waitForOutput } from './supervisor.js';

// Real child processes (node -e …): the order they stop in is read from what they print.
function node(name: string, code: string) {
  return {
    name,
    command: process.execPath,
    args: ['-e', code],
    env: {},
    cwd: process.cwd(),
    ready: async (child: Parameters<typeof waitForOutput>[0]) => {
      await waitForOutput(child, /ready/, 10_000);
    },
  };
}

const polite = (name: string) =>
  `process.on('SIGTERM', () => { console.log('${name} stopping'); process.exit(0); });` +
  `console.log('ready'); setInterval(() => {}, 1000);`;

describe('Supervisor', () => {
  it('prefixes output and stops children in reverse start order', async () => {
    const lines: string[] = [];
    const sup = new Supervisor({
      write: (t) => lines.push(t),
      color: false,
      onUnexpectedExit: () => {},
    });
    await sup.start(node('first', polite('first')));
    await sup.start(node('second', polite('second')));
    await sup.stopAll();
    const stops = lines.filter((l) => l.includes('stopping'));
    expect(stops).toEqual(['[second] second stopping\n', '[first] first stopping\n']);
    expect(lines).toContain('[first] ready\n');
  });

  it('SIGKILLs a child that ignores SIGTERM once the grace period is over', async () => {
    const sup = new Supervisor({ write: () => {}, color: false, onUnexpectedExit: () => {} });
    const child = await sup.start(
      node(
        'stubborn',
        `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`,
      ),
    );
    const t0 = Date.now();
    await sup.stopAll(300);
    expect(child.process.signalCode).toBe('SIGKILL');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('fails start with a clear reason when the child dies before it is ready', async () => {
    const exits: string[] = [];
    const sup = new Supervisor({
      write: () => {},
      color: false,
      onUnexpectedExit: (name, code) => exits.push(`${name}:${code}`),
    });
    await expect(
      sup.start(node('broken', `console.error('config error: X'); process.exit(3);`)),
    ).rejects.toThrow('broken exited (code 3) before it was ready; its log lines above say why');
    // start() said it; nothing is restarted or reported twice
    expect(exits).toEqual([]);
    await sup.stopAll();
  });

  it('restarts a child that crashes after it was ready, and says so', async () => {
    const events: string[] = [];
    const sup = new Supervisor({
      write: () => {},
      color: false,
      restartDelaysMs: [300, 50],
      onUnexpectedExit: (name, code, restartInMs) => events.push(`${name}:${code}:${restartInMs}`),
      onRestarted: (name) => events.push(`${name} restarted`),
    });
    const child = await sup.start(node('worker', polite('worker')));
    expect(sup.isLive('worker')).toBe(true);
    expect(sup.isLive('nobody')).toBe(false);
    const firstPid = child.process.pid;
    child.process.kill('SIGKILL');
    // Not live from its exit until the restarted process is ready (the origin skips it meanwhile).
    await child.exited;
    expect(sup.isLive('worker')).toBe(false);
    await expect
      .poll(() => events, { timeout: 10_000 })
      .toEqual(['worker:null:300', 'worker restarted']);
    expect(sup.isLive('worker')).toBe(true);
    expect(child.process.pid).not.toBe(firstPid);
    expect(child.output()).toContain('ready');
    // the restarted process is the one stopped
    const current = child.process;
    await sup.stopAll();
    expect(current.exitCode).toBe(0);
  });

  it('leaves a child down once it keeps failing, and never restarts during stop', async () => {
    const events: string[] = [];
    const sup = new Supervisor({
      write: () => {},
      color: false,
      restartDelaysMs: [20, 20],
      onUnexpectedExit: (name, code, restartInMs) => events.push(`${name}:${code}:${restartInMs}`),
    });
    // Ready at once, then dies: every restart dies again.
    await sup.start(node('flaky', `console.log('ready'); setTimeout(() => process.exit(4), 100);`));
    await expect
      .poll(() => events, { timeout: 10_000 })
      .toEqual(['flaky:4:20', 'flaky:4:20', 'flaky:4:null']);
    const steady = await sup.start(node('steady', polite('steady')));
    await sup.stopAll();
    expect(steady.process.exitCode).toBe(0);
    expect(events).toHaveLength(3);
  });
});
