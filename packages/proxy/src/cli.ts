#!/usr/bin/env node
import { runCli } from './cli/run';

// The `flinkit` executable: everything testable lives in cli-run.ts.
runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
