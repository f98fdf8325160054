import type { ChainedFields } from './chain.js';

/** An `audit_events` row as `ROW_COLUMNS` selects it (`seq` as text, hashes as hex). */
export interface AuditRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  occurred_at: Date;
  kind: string;
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
  detail: unknown;
  delegation: unknown;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/** Every column, once: listing, export and chain verification read the same shape. */
export const ROW_COLUMNS = `id, project_id, occurred_at, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
  connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail,
  delegation, seq::text AS seq, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

/** The row's fields as the hash covers them (chain.ts) and as the API names them. */
export const fieldsOfRow = (r: AuditRow): ChainedFields => ({
  id: r.id,
  projectId: r.project_id,
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
});
