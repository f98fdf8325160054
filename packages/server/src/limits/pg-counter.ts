import type { Db } from '../store/db.js';
import type { Consumed, Counter, CounterCheck } from './counter.js';

class Exceeded extends Error {
  constructor(
    readonly index: number,
    readonly used: number,
  ) {
    super('limit exceeded');
  }
}

// Expired windows are deleted now and then, not on every call.
const SWEEP_EVERY = 500;

/**
 * Counters in PostgreSQL (or PGlite): one upsert per counter in one transaction, keys in a fixed
 * order so concurrent calls cannot deadlock; a counter that would pass its limit rolls everything back.
 */
export class PostgresCounter implements Counter {
  readonly kind = 'postgres';
  private calls = 0;

  constructor(private readonly db: Db) {}

  async consume(projectId: string, checks: readonly CounterCheck[]): Promise<Consumed> {
    if (++this.calls % SWEEP_EVERY === 0)
      await this.db.query('DELETE FROM limit_counters WHERE window_end < now()').catch(() => {});
    const order = checks.map((c, index) => ({ c, index })).sort((a, b) => (a.c.key < b.c.key ? -1 : 1));
    try {
      await this.db.transaction(async (tx) => {
        for (const { c, index } of order) {
          const { rows } = await tx.query<{ used: number }>(
            `INSERT INTO limit_counters (project_id, key, window_end, used) VALUES ($1, $2, $3, $4)
             ON CONFLICT (project_id, key, window_end) DO UPDATE SET used = limit_counters.used + EXCLUDED.used
             RETURNING used`,
            [projectId, c.key, c.windowEnd, c.cost],
          );
          const used = Number(rows[0]?.used ?? 0);
          if (used > c.limit) throw new Exceeded(index, used - c.cost);
        }
      });
      return { ok: true };
    } catch (err) {
      if (err instanceof Exceeded) return { ok: false, index: err.index, used: err.used };
      throw err;
    }
  }

  async close(): Promise<void> {}
}
