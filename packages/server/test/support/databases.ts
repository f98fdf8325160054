import { afterAll, beforeAll, describe } from 'vitest';
import { type Db, openPglite, openPostgres } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { createScratchPostgres } from './scratch-postgres.js';

export { createScratchPostgres };

export const TEST_DATABASE_URL = process.env.GATEHOUSE_TEST_DATABASE_URL || undefined;

if (!TEST_DATABASE_URL) {
  console.warn(
    '\n[gatehouse tests] GATEHOUSE_TEST_DATABASE_URL is not set: PostgreSQL legs are SKIPPED (PGlite legs still run).\n' +
      '                  e.g. GATEHOUSE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n',
  );
}

export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  /** The migrated database shared by the tests of this leg. */
  db(): Db;
  /** For PostgreSQL legs: the scratch database URL (other processes can connect). */
  url(): string | undefined;
}

/**
 * Runs the same suite against embedded PGlite and the machine's PostgreSQL. Without
 * GATEHOUSE_TEST_DATABASE_URL the PostgreSQL leg is declared skipped, visibly, with the reason.
 */
export function describeEachDatabase(
  name: string,
  suite: (t: TestDatabase) => void,
  options: { migrate?: boolean } = {},
): void {
  const legs: Array<{ kind: 'pglite' | 'postgres'; label: string }> = [
    { kind: 'pglite', label: `${name} [PGlite]` },
    {
      kind: 'postgres',
      label: TEST_DATABASE_URL
        ? `${name} [PostgreSQL]`
        : `${name} [PostgreSQL: skipped, GATEHOUSE_TEST_DATABASE_URL not set]`,
    },
  ];
  for (const leg of legs) {
    const run = leg.kind === 'postgres' && !TEST_DATABASE_URL ? describe.skip : describe;
    run(leg.label, () => {
      let db: Db | undefined;
      let url: string | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        if (leg.kind === 'pglite') {
          db = await openPglite();
        } else {
          const scratch = await createScratchPostgres();
          url = scratch.url;
          drop = scratch.drop;
          db = await openPostgres(url);
        }
        if (options.migrate ?? true) await migrate(db);
      });
      afterAll(async () => {
        await db?.close();
        await drop?.();
      });
      suite({
        kind: leg.kind,
        db: () => {
          if (!db) throw new Error('database not open yet');
          return db;
        },
        url: () => url,
      });
    });
  }
}
