// Loaded by the launcher itself and preloaded (`node --import`) into every Node child of it. A
// parent that dies without signalling (a launcher killed with SIGKILL, npm's shell killed alone)
// leaves the process reparented, and Node cannot ask Linux to signal it (no PDEATHSIG); it then
// stops itself as if its parent had sent SIGTERM.
const launcher = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === launcher) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 1000);
// The watch alone never keeps a process alive.
watch.unref();
