import type { NextConfig } from 'next';

const config: NextConfig = {
  // The test builds into its own folder, so it never races a `next build` of yours.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default config;
