import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The SDK's exports point at its build (dist/); inside the workspace, tests run its source.
const sdkSource = fileURLToPath(new URL('./packages/sdk/src', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@gatehouse\/sdk$/, replacement: `${sdkSource}/index.ts` },
      { find: /^@gatehouse\/sdk\/(.+)$/, replacement: `${sdkSource}/$1/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/**/*.test.ts', 'deploy/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances and the sandbox are per file; two workers match the two cores here.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
