// Preloaded (`--import`) into every collab benchmark's server process: prints each garbage
// collection of 1 ms or more as `GC_PAUSE <start, ms since the epoch> <duration ms>`, so a fan-out
// run can tell whether its slowest updates met a pause in a server (the clock is the machine's, the
// same in the load generator).
import { PerformanceObserver, performance } from 'node:perf_hooks';

const MIN_MS = 1;
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.duration >= MIN_MS)
      process.stderr.write(
        `GC_PAUSE ${(performance.timeOrigin + e.startTime).toFixed(1)} ${e.duration.toFixed(2)}\n`,
      );
}).observe({ entryTypes: ['gc'] });
