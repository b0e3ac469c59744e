// Preloaded into ours (collab-memory.load.ts passes it in NODE_OPTIONS) beside gc-on-signal.mjs:
// after the full GC that SIGUSR2 runs, prints the V8 heap in use, so the bench can show what a
// replica keeps apart from what its resident set holds (committed heap it used before and kept).
process.on('SIGUSR2', () => {
  setTimeout(() => {
    const { heapUsed, external } = process.memoryUsage();
    process.stderr.write(`HEAP_USED ${heapUsed + external}\n`);
  }, 200);
});
