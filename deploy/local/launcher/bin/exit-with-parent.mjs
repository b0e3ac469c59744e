// Preloaded (`node --import`) into every Node child of the launcher. A launcher killed with
// SIGKILL cannot stop its children, and Node cannot ask Linux to signal them (no PDEATHSIG); the
// child sees it is reparented and stops itself as if the launcher had sent SIGTERM.
const launcher = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === launcher) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 1000);
// The watch alone never keeps a process alive.
watch.unref();
