import { newId } from '../shared/ids.js';
import type { Db } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';

export type AuditKind = 'tool.execute' | 'proxy.request';

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
}

export interface AuditEvent extends Omit<AuditEntry, 'projectId'> {
  id: string;
  occurredAt: Date;
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
});

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

/** The append-only audit trail (the table refuses updates and deletes). */
export class AuditLog {
  /** `syncCommit`: wait for the WAL flush on every audit row (slower; see Db.relaxed). */
  constructor(
    private readonly db: Db,
    private readonly syncCommit = false,
  ) {}

  async record(e: AuditEntry): Promise<string> {
    const id = newId('aud');
    let detail = JSON.stringify(e.detail);
    if (detail.length > MAX_DETAIL_BYTES) detail = JSON.stringify({ truncated: true, bytes: detail.length });
    await (this.syncCommit ? this.db : this.db.relaxed()).query(
      `INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
         connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
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
      ],
    );
    return id;
  }

  async list(projectId: string, f: AuditFilter, page: Page): Promise<PageResult<AuditEvent>> {
    const { rows } = await this.db.query<Row>(
      `SELECT id, occurred_at, kind, execution_id, user_id, agent_id, tool_slug, provider_id, connected_account_id, outcome,
         error_code, upstream_status, latency_ms, attempts, trace_id, detail
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
}
