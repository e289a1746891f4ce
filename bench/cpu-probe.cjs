// Preloaded into a measured child process: at exit, reports its own user and system CPU
// time (microseconds) as JSON on file descriptor 3, which the benchmark reads.
process.on('exit', () => {
  const usage = process.resourceUsage();
  require('node:fs').writeSync(3, JSON.stringify([usage.userCPUTime, usage.systemCPUTime]));
});
