#!/usr/bin/env node
import { runCli } from './cli/run';

// The `flinkit` executable: everything testable lives in cli-run.ts.
const argv = process.argv.slice(2);
runCli(argv, {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
    // `serve` has drained within its shutdown timeout; work it gave up on (a Flinks call held
    // upstream, a delivery hook that ignores its signal) must not keep the process alive.
    if (argv[0] === 'serve') process.exit(code);
  },
  () => {
    process.exitCode = 1;
  },
);
