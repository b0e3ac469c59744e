// Preloaded (`node --expose-gc --import`) into every benchmarked server: SIGUSR2 runs a full
// garbage collection, so memory is read after it, the same way for every server.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write('GC_DONE\n');
});
