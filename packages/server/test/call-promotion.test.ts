import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const FIXTURE = new URL('./fixtures/call-promotion.ts', import.meta.url).pathname;

// A finished call must leave nothing alive past a young collection. Objects made with a leading
// spread (`{ ...newContext(req), userId }`) did on Node 20: every call's context, audit row and
// upstream request survived young collections (the server promoted ~5.8 KB per execute call to the
// old space, and scavenges of 1.5-4 ms every ~100 calls made most of the p99). Measured in a process
// of its own per door, with young collections forced between rounds of calls.
describe('a finished call leaves (almost) nothing alive past a young collection', () => {
  // Measured here: execute ~3.5 KB now and 10.4 KB with the spread copies, proxy ~2.9-3.5 KB now
  // and 5.7 KB with them. The fixture's process also runs the sandbox and PGlite (~3 KB per call).
  it.each([
    ['execute', 6_000],
    ['proxy', 4_500],
  ] as const)(
    'the old space grows by less than the limit per %s call (%i B), the sandbox and PGlite included',
    async (door, limit) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--expose-gc', '--conditions=gatehouse-source', '--import', 'tsx', FIXTURE, door],
        { encoding: 'utf8', timeout: 120_000 },
      );
      const { rounds, medianPerCall } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        rounds: number;
        medianPerCall: number | null;
      };
      expect(rounds).toBeGreaterThanOrEqual(6);
      expect(medianPerCall).not.toBeNull();
      expect(medianPerCall!).toBeLessThan(limit);
    },
    150_000,
  );
});
