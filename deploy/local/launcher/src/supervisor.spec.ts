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

  it('fails start with a clear reason when the child dies before it is ready, and reports later exits', async () => {
    const exits: string[] = [];
    const sup = new Supervisor({
      write: () => {},
      color: false,
      onUnexpectedExit: (name, code) => exits.push(`${name}:${code}`),
    });
    await expect(
      sup.start(node('broken', `console.error('config error: X'); process.exit(3);`)),
    ).rejects.toThrow('broken exited (code 3) before it was ready; its log lines above say why');
    const child = await sup.start(
      node('flaky', `console.log('ready'); setTimeout(() => process.exit(4), 100);`),
    );
    await child.exited;
    expect(exits).toEqual(['broken:3', 'flaky:4']);
    await sup.stopAll();
  });
});
