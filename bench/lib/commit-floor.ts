import { type AuditEntry, AuditLog } from '../../packages/server/src/audit/audit-log.js';
import { openDatabase } from '../../packages/server/src/store/db.js';
import { migrate } from '../../packages/server/src/store/migrate.js';
import { type LatencyStats, measureLatency } from './load.js';

export interface CommitFloor {
  /** `SELECT 1`: one round trip to the database's process. */
  roundTrip: LatencyStats;
  /** A one-row INSERT into a table with one index, committed as the hot path commits (relaxed). */
  bareInsert: LatencyStats;
  /** One call's audit row through `AuditLog.record` without a journal: what a call awaits. */
  auditRow: LatencyStats;
}

const PROJECT = 'prj_commit_floor';

/** A call's row as the runner records it (the sizes of a real one). */
const entry = (n: number): AuditEntry => ({
  projectId: PROJECT,
  kind: 'tool.execute',
  executionId: `exe_floor_${n}`,
  userId: 'alice',
  agentId: null,
  toolSlug: 'acme.tasks.list',
  providerId: 'sandbox',
  connectedAccountId: 'ca_floor',
  outcome: 'success',
  errorCode: null,
  upstreamStatus: 200,
  latencyMs: 0.8,
  attempts: 1,
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  detail: { arguments: { limit: 5 } },
});

/**
 * What one awaited audit row costs at least on this PostgreSQL, in the bench's own run: without the
 * journal every governed call waits for its row (`audit_append`: the project's chain head locked and
 * moved, the row hashed and written with its eight indexes) before it is answered, so the added
 * p50 on PostgreSQL has this floor. Calls one after another, with nothing in between: a server
 * also waits for the database's process to wake. `url` is a scratch database, migrated here with
 * Gatehouse's own migrations and dropped with it.
 */
export async function commitFloor(url: string, requests: number): Promise<CommitFloor> {
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  try {
    await migrate(db);
    await db.query(
      `INSERT INTO projects (id, name) VALUES ($1, 'commit floor') ON CONFLICT (id) DO NOTHING`,
      [PROJECT],
    );
    await db.query('CREATE TABLE IF NOT EXISTS commit_floor (id bigserial PRIMARY KEY, body jsonb NOT NULL)');
    const relaxed = db.relaxed();
    const audit = new AuditLog(db);
    const row = JSON.stringify(entry(0));
    let n = 0;
    const options = { concurrency: 1, requests };
    return {
      roundTrip: await measureLatency(() => db.query('SELECT 1').then(() => {}), options),
      bareInsert: await measureLatency(
        () => relaxed.query('INSERT INTO commit_floor (body) VALUES ($1)', [row]).then(() => {}),
        options,
      ),
      auditRow: await measureLatency(() => audit.record(entry(++n)).then(() => {}), options),
    };
  } finally {
    await db.close();
  }
}
