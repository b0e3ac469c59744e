import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { watchParent } from './parent-watch.js';

describe('watchParent', () => {
  it('calls back once when the parent pid changes (the launcher was reparented)', async () => {
    let ppid = 4242;
    let calls = 0;
    watchParent(
      () => calls++,
      10,
      () => ppid,
    );
    await sleep(40);
    expect(calls).toBe(0);
    ppid = 1;
    await sleep(40);
    ppid = 7;
    await sleep(40);
    expect(calls).toBe(1);
  });

  it('stops watching when cancelled', async () => {
    let ppid = 4242;
    let calls = 0;
    const cancel = watchParent(
      () => calls++,
      10,
      () => ppid,
    );
    cancel();
    ppid = 1;
    await sleep(40);
    expect(calls).toBe(0);
  });

  it('reads the real parent pid by default and does not fire while the parent lives', async () => {
    let calls = 0;
    const cancel = watchParent(() => calls++, 10);
    await sleep(40);
    cancel();
    expect(calls).toBe(0);
  });
});
