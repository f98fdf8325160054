import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Vault } from '../vault/vault.js';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; result: unknown }
  | { kind: 'conflict'; reason: 'different_request' | 'in_progress' };

const TTL_HOURS = 24;

/** The request a key stands for: the same key with other arguments is a client bug, not a replay. */
export function requestHash(parts: unknown): string {
  return createHash('sha256').update(stableStringify(parts)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const binding = (projectId: string, userId: string, key: string) => ({
  table: 'idempotency_keys',
  rowId: requestHash([projectId, userId, key]),
  purpose: 'result',
});

/**
 * Idempotency keys per (project, user): the first call claims the key, its answer is stored
 * encrypted (it is user data), and a repeat returns that result without touching the upstream.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
  ) {}

  async claim(
    projectId: string,
    userId: string,
    key: string,
    hash: string,
    executionId: string,
  ): Promise<Claim> {
    await this.db.query(
      'DELETE FROM idempotency_keys WHERE project_id = $1 AND user_id = $2 AND key = $3 AND expires_at < now()',
      [projectId, userId, key],
    );
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (project_id, user_id, key, request_hash, execution_id, state, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(hours => $6))
       ON CONFLICT (project_id, user_id, key) DO NOTHING`,
      [projectId, userId, key, hash, executionId, TTL_HOURS],
    );
    if (inserted.rowCount === 1) return { kind: 'claimed' };
    const { rows } = await this.db.query<{ request_hash: string; state: string; result_ct: string | null }>(
      'SELECT request_hash, state, result_ct FROM idempotency_keys WHERE project_id = $1 AND user_id = $2 AND key = $3',
      [projectId, userId, key],
    );
    const row = rows[0];
    if (!row || row.request_hash !== hash) return { kind: 'conflict', reason: 'different_request' };
    if (row.state !== 'completed' || !row.result_ct) return { kind: 'conflict', reason: 'in_progress' };
    const plain = await this.vault.decrypt(projectId, binding(projectId, userId, key), row.result_ct);
    if (!plain.ok) return { kind: 'conflict', reason: 'in_progress' };
    return { kind: 'replay', result: JSON.parse(plain.value) as unknown };
  }

  async complete(projectId: string, userId: string, key: string, result: unknown): Promise<void> {
    const ct = await this.vault.encrypt(projectId, binding(projectId, userId, key), JSON.stringify(result));
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'completed', result_ct = $4 WHERE project_id = $1 AND user_id = $2 AND key = $3`,
      [projectId, userId, key, ct],
    );
  }

  /** Frees a key whose call never reached the upstream (rejected before), so the client can retry. */
  async release(projectId: string, userId: string, key: string): Promise<void> {
    await this.db.query(
      "DELETE FROM idempotency_keys WHERE project_id = $1 AND user_id = $2 AND key = $3 AND state = 'in_progress'",
      [projectId, userId, key],
    );
  }
}
