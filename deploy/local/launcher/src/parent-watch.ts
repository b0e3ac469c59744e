/**
 * `npm start` runs the launcher under npm and a shell. When those are killed without the process
 * group (SIGTERM to npm from a process manager), the shell does not pass the signal on and the
 * launcher is orphaned with every child still running. Linux reparents an orphan, so a changed
 * parent pid is the sign to stop as if signalled.
 */
export function watchParent(
  onGone: () => void,
  intervalMs = 1000,
  parentPid: () => number = () => process.ppid,
): () => void {
  const original = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === original) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // The watch alone never keeps the launcher alive.
  timer.unref();
  return () => clearInterval(timer);
}
