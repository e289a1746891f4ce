#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/cli/main.js';

// Most `playbook` processes are short: V8's optimizing compiler (TurboFan, on background
// threads) spent ~80 ms of CPU on a 300 ms `playbook check` for code that was about to exit.
// With 7.4× V8's default budget (67,584) a function must run that much longer before it is
// optimized: check takes ~25% less CPU, the 10,000-line benchmark file too, and code that
// stays hot in a long-running worker or server is still optimized, a little later. Set
// before any command's code runs; in-process uses of `main` (tests, benchmarks) keep V8's.
setFlagsFromString('--interrupt-budget=500000');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
