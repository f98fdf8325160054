import type { Act } from '../delegation/chain.js';
import type { ProjectPrincipal } from '../projects/api-keys.js';
import { newId } from '../shared/ids.js';
import type { Db, Queryable } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import { canonicalRow, GENESIS_HASH_HEX } from './chain.js';
import { type ChainVerdict, verifyChain } from './verify.js';

/** What a project admin changed; the row's detail names the acting key (`apiKeyId`). */
export type AdminAuditKind =
  | 'admin.policies.updated'
  | 'admin.api_key.created'
  | 'admin.api_key.revoked'
  | 'admin.auth_config.created'
  | 'admin.auth_config.updated'
  | 'admin.auth_config.deleted'
  | 'admin.webhook.created'
  | 'admin.webhook.deleted'
  | 'admin.toolkit.updated'
  | 'admin.toolkit.deleted'
  | 'admin.limits.updated'
  | 'admin.proxy_settings.updated'
  | 'admin.connect_settings.updated'
  | 'admin.agent.registered'
  | 'admin.agent.deleted'
  | 'admin.agent_key.created'
  | 'admin.agent_key.revoked'
  | 'admin.agent_public_key.registered'
  | 'admin.agent_public_key.revoked'
  | 'admin.delegation_settings.updated'
  | 'admin.delegation_key.rotated'
  | 'admin.connected_account.created'
  | 'admin.connected_account.deleted';

export type AuditKind = 'tool.execute' | 'proxy.request' | 'approval.decided' | AdminAuditKind;

/** What happened, from the broker's point of view. Never holds a token or a sensitive argument. */
export interface AuditEntry {
  projectId: string;
  kind: AuditKind;
  executionId: string;
  userId: string | null;
  agentId: string | null;
  toolSlug: string | null;
  providerId: string | null;
  connectedAccountId: string | null;
  outcome: string;
  errorCode: string | null;
  upstreamStatus: number | null;
  latencyMs: number;
  attempts: number;
  traceId: string | null;
  detail: Record<string, unknown>;
  /** The verified delegation chain of a call made with an exchanged token (its `act` claim). */
  delegation?: Act | null | undefined;
}

export interface AuditEvent extends Omit<AuditEntry, 'projectId' | 'delegation'> {
  delegation: Act | null;
  id: string;
  occurredAt: Date;
  /** The row's place in its project's hash chain; null for rows written before the chain existed. */
  seq: number | null;
  /** Hex SHA-256 of the row and its predecessor (chain.ts); null outside the chain. */
  hash: string | null;
}

interface Row extends Record<string, unknown> {
  id: string;
  occurred_at: Date;
  kind: AuditKind;
  execution_id: string;
  user_id: string | null;
  agent_id: string | null;
  tool_slug: string | null;
  provider_id: string | null;
  connected_account_id: string | null;
  outcome: string;
  error_code: string | null;
  upstream_status: number | null;
  latency_ms: number;
  attempts: number;
  trace_id: string | null;
  detail: Record<string, unknown>;
  delegation: Act | null;
  seq: string | null;
  hash: string | null;
}

const toEvent = (r: Row): AuditEvent => ({
  id: r.id,
  occurredAt: r.occurred_at,
  kind: r.kind,
  executionId: r.execution_id,
  userId: r.user_id,
  agentId: r.agent_id,
  toolSlug: r.tool_slug,
  providerId: r.provider_id,
  connectedAccountId: r.connected_account_id,
  outcome: r.outcome,
  errorCode: r.error_code,
  upstreamStatus: r.upstream_status,
  latencyMs: r.latency_ms,
  attempts: r.attempts,
  traceId: r.trace_id,
  detail: r.detail,
  delegation: r.delegation,
  seq: r.seq === null ? null : Number(r.seq),
  hash: r.hash,
});

const SELECT_COLUMNS = `id, occurred_at, kind, execution_id, user_id, agent_id, tool_slug, provider_id, connected_account_id,
  outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail, delegation, seq::text AS seq, encode(hash, 'hex') AS hash`;

const GENESIS = `decode('${GENESIS_HASH_HEX}', 'hex')`;

/**
 * One statement, one round trip: advance the project's chain head (its row lock serialises the
 * writers of that project until commit) and insert the row with the head's new seq and hash.
 * A plain UPDATE, not an upsert: the steady state skips the speculative insert.
 * $18 is the row's canonical text (chain.ts), hashed here exactly as `chainHash` does.
 * $19 is the delegation chain (jsonb, NULL for calls made with a key).
 */
const RECORD_SQL = `WITH head AS (
    UPDATE audit_heads
    SET seq = seq + 1, hash = sha256(hash || convert_to((seq + 1)::text || '|' || $18::text, 'UTF8')), prev_hash = hash
    WHERE project_id = $2
    RETURNING seq, hash, prev_hash
  )
  INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
    connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail,
    occurred_at, delegation, seq, prev_hash, hash)
  SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
    $11::text, $12::integer, $13::double precision, $14::integer, $15::text, $16::jsonb, $17::timestamptz,
    $19::jsonb, head.seq, head.prev_hash, head.hash
  FROM head`;

/** A project's first audit row finds no head: it plants the empty one (seq 0) and tries again. */
const PLANT_HEAD_SQL = `INSERT INTO audit_heads (project_id, seq, hash, prev_hash)
  VALUES ($1, 0, ${GENESIS}, ${GENESIS}) ON CONFLICT (project_id) DO NOTHING`;

export interface AuditFilter {
  userId?: string | undefined;
  agentId?: string | undefined;
  tool?: string | undefined;
  executionId?: string | undefined;
  outcome?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

// Arguments larger than this are recorded as a size only: audit rows stay small and bounded.
const MAX_DETAIL_BYTES = 8_192;

/** The append-only, hash-chained audit trail (the table refuses updates and deletes; README.md). */
export class AuditLog {
  /** `syncCommit`: wait for the WAL flush on every audit row (slower; see Db.relaxed). */
  constructor(
    private readonly db: Db,
    private readonly syncCommit = false,
  ) {}

  async record(e: AuditEntry): Promise<string> {
    return this.write(this.syncCommit ? this.db : this.db.relaxed(), e);
  }

  /**
   * Records a project admin's change (policies, keys, auth configs…), naming the acting key. Waits
   * for the WAL flush: admin changes are rare and are the rows an investigation needs most.
   */
  async admin(
    principal: ProjectPrincipal,
    kind: AdminAuditKind,
    detail: Record<string, unknown>,
  ): Promise<string> {
    const id = newId('aud');
    return this.write(
      this.db,
      {
        projectId: principal.projectId,
        kind,
        executionId: id,
        userId: null,
        agentId: null,
        toolSlug: null,
        providerId: null,
        connectedAccountId: null,
        outcome: 'success',
        errorCode: null,
        upstreamStatus: null,
        latencyMs: 0,
        attempts: 0,
        traceId: null,
        detail: { ...detail, apiKeyId: principal.apiKeyId },
      },
      id,
    );
  }

  private async write(q: Queryable, e: AuditEntry, id = newId('aud')): Promise<string> {
    let detail = JSON.stringify(e.detail);
    if (detail.length > MAX_DETAIL_BYTES) detail = JSON.stringify({ truncated: true, bytes: detail.length });
    // The hash covers the row as it will read back: jsonb's value of `detail`, time in milliseconds.
    const occurredAt = new Date();
    const delegation = e.delegation ?? null;
    const canonical = canonicalRow({ ...e, id, occurredAt, detail: JSON.parse(detail), delegation });
    const params = [
      id,
      e.projectId,
      e.kind,
      e.executionId,
      e.userId,
      e.agentId,
      e.toolSlug,
      e.providerId,
      e.connectedAccountId,
      e.outcome,
      e.errorCode,
      e.upstreamStatus,
      e.latencyMs,
      e.attempts,
      e.traceId,
      detail,
      occurredAt,
      canonical,
      delegation === null ? null : JSON.stringify(delegation),
    ];
    if ((await q.query(RECORD_SQL, params)).rowCount === 0) {
      await q.query(PLANT_HEAD_SQL, [e.projectId]);
      await q.query(RECORD_SQL, params);
    }
    return id;
  }

  async list(projectId: string, f: AuditFilter, page: Page): Promise<PageResult<AuditEvent>> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${SELECT_COLUMNS}
       FROM audit_events
       WHERE project_id = $1 AND ($2::text IS NULL OR user_id = $2) AND ($3::text IS NULL OR agent_id = $3)
         AND ($4::text IS NULL OR tool_slug = $4) AND ($5::text IS NULL OR execution_id = $5)
         AND ($6::text IS NULL OR outcome = $6) AND ($7::timestamptz IS NULL OR occurred_at >= $7)
         AND ($8::timestamptz IS NULL OR occurred_at < $8) AND ($9::text IS NULL OR id < $9)
       ORDER BY id DESC LIMIT $10`,
      [
        projectId,
        f.userId ?? null,
        f.agentId ?? null,
        f.tool ?? null,
        f.executionId ?? null,
        f.outcome ?? null,
        f.since ?? null,
        f.until ?? null,
        decodeCursor(page.cursor) ?? null,
        page.limit + 1,
      ],
    );
    return toPage(rows, page.limit, toEvent);
  }

  /** Every row matching `f`, newest first, read a page at a time (for exports: never all in memory). */
  async *each(projectId: string, f: AuditFilter, pageSize = 500): AsyncGenerator<AuditEvent> {
    let cursor: string | undefined;
    do {
      const page = await this.list(projectId, f, { limit: pageSize, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Recomputes the project's hash chain (verify.ts). */
  verify(projectId: string): Promise<ChainVerdict> {
    return verifyChain(this.db, projectId);
  }
}
