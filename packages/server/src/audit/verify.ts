import type { Queryable } from '../store/db.js';
import { canonicalRow, chainHash, GENESIS_HASH_HEX } from './chain.js';
import { type AuditRow, fieldsOfRow, ROW_COLUMNS } from './row.js';

export interface ChainBreak {
  /** The first row that does not fit the chain (null only when the chain's rows are all gone). */
  id: string | null;
  seq: number;
  reason: string;
}

export interface ChainVerdict {
  ok: boolean;
  /** Chained rows checked. */
  rows: number;
  /** Rows written before the chain existed (migration 0012), which no hash covers. */
  unchained: number;
  /** The chain head: publishing it elsewhere pins everything up to it (README.md). */
  head: { seq: number; hash: string } | null;
  firstBroken?: ChainBreak;
}

/**
 * Recomputes a project's chain from its rows, in seq order, a page at a time: each row must follow
 * its predecessor (seq + 1), carry its hash, and hash to what it stores; the last row must be the
 * head's. Stops at the first row that does not.
 */
export async function verifyChain(db: Queryable, projectId: string, pageSize = 500): Promise<ChainVerdict> {
  const { rows: heads } = await db.query<{ seq: string; hash: string }>(
    `SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_heads WHERE project_id = $1`,
    [projectId],
  );
  const head = heads[0] ? { seq: Number(heads[0].seq), hash: heads[0].hash } : null;
  const { rows: legacy } = await db.query<{ n: string; after: string | null }>(
    `SELECT count(*)::text AS n,
       (SELECT min(e.id) FROM audit_events e WHERE e.project_id = $1 AND e.seq IS NULL
          AND e.id > (SELECT min(c.id) FROM audit_events c WHERE c.project_id = $1 AND c.seq IS NOT NULL)) AS after
     FROM audit_events WHERE project_id = $1 AND seq IS NULL`,
    [projectId],
  );
  const unchained = Number(legacy[0]?.n ?? 0);
  const verdict = (rows: number, firstBroken?: ChainBreak): ChainVerdict =>
    firstBroken ? { ok: false, rows, unchained, head, firstBroken } : { ok: true, rows, unchained, head };

  let prevSeq = 0;
  let prevHash = GENESIS_HASH_HEX;
  let lastId: string | null = null;
  let checked = 0;
  for (;;) {
    const { rows } = await db.query<AuditRow>(
      `SELECT ${ROW_COLUMNS}
       FROM audit_events WHERE project_id = $1 AND audit_events.seq > $2 ORDER BY audit_events.seq LIMIT ${Math.max(1, Math.trunc(pageSize))}`,
      [projectId, prevSeq],
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      const at = (reason: string) => verdict(checked, { id: r.id, seq, reason });
      if (seq !== prevSeq + 1)
        return at(
          `seq ${prevSeq + 1}${seq > prevSeq + 2 ? `–${seq - 1}` : ''} missing before this row (deleted)`,
        );
      if (r.prev_hash !== prevHash) return at('prev_hash is not the previous row’s hash');
      const expected = chainHash(prevHash, seq, canonicalRow(fieldsOfRow(r)));
      if (r.hash !== expected) return at('hash does not match the row’s content (altered)');
      checked++;
      prevSeq = seq;
      prevHash = expected;
      lastId = r.id;
    }
    if (rows.length < pageSize) break;
  }
  if ((head?.seq ?? 0) !== prevSeq || (head && head.hash !== prevHash))
    return verdict(checked, {
      id: lastId,
      seq: prevSeq,
      reason: `the chain ends at seq ${prevSeq} but its head is at seq ${head?.seq ?? 0} (later rows deleted)`,
    });
  if (legacy[0]?.after)
    return verdict(checked, {
      id: legacy[0].after,
      seq: 0,
      reason: 'row outside the chain, written after it began',
    });
  return verdict(checked);
}
