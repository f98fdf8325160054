import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests (and benchmarks) may create scratch databases from. */
export const TEST_DATABASE_URL = process.env.GATEHOUSE_TEST_DATABASE_URL || undefined;

/** Creates an empty PostgreSQL database for one test file and returns its URL and a drop function. */
export async function createScratchPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('GATEHOUSE_TEST_DATABASE_URL is not set');
  const name = `gatehouse_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
