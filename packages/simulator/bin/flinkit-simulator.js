#!/usr/bin/env node
// Runs the built CLI; build first with `npx pnpm@10 --filter @flinkit/simulator build`.
import '../dist/cli.js';
