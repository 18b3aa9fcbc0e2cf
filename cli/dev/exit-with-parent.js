// Preloaded (`node --import`) into every process `miroir dev` starts, so that
// no child outlives it, even when the parent is killed with SIGKILL and can
// run no cleanup: the parent holds the write end of the child's stdin pipe;
// the kernel closes it when the parent dies, the child reads end-of-file and
// stops itself with SIGTERM, the same clean shutdown Ctrl-C gives. The read
// side is unref'd so an idle stdin never keeps a finished child alive.
// Plain JavaScript: it runs before the TypeScript loader is registered.
const GRACE_MS = 15_000;

let stopping = false;
function parentGone() {
  if (stopping) return;
  stopping = true;
  process.kill(process.pid, 'SIGTERM');
  // A shutdown that hangs must still end the process: an orphan is worse than an unclean stop.
  setTimeout(() => process.exit(1), GRACE_MS).unref();
}
process.stdin.on('end', parentGone);
// A read error on the same pipe means the same thing as its end.
process.stdin.on('error', parentGone);
process.stdin.resume();
process.stdin.unref();
