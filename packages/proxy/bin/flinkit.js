#!/usr/bin/env node
// The `flinkit` command: runs the built CLI (`pnpm build` creates dist/).
import '../dist/cli/cli.js';
