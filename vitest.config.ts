import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages export their build (dist/) by default and their sources under the
// `gatehouse-source` condition; inside the workspace, tests run the sources.
const sdkSource = fileURLToPath(new URL('./packages/sdk/src', import.meta.url));
const source = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@gatehouse\/sdk$/, replacement: `${sdkSource}/index.ts` },
      { find: /^@gatehouse\/sdk\/(.+)$/, replacement: `${sdkSource}/$1/index.ts` },
      { find: /^@gatehouse\/catalog$/, replacement: source('catalog/src/index.ts') },
      { find: /^@gatehouse\/sandbox$/, replacement: source('sandbox/src/index.ts') },
      { find: /^@gatehouse\/sandbox\/testing$/, replacement: source('sandbox/src/testing.ts') },
      { find: /^@gatehouse\/server$/, replacement: source('server/src/index.ts') },
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
