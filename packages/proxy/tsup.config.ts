import { defineConfig } from 'tsup';

// One build per entry point (`@flinkit/proxy`, `/node`, `/webhooks`) plus the `flinkit` CLI.
export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts', 'src/webhooks.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
