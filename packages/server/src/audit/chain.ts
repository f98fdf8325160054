import { createHash } from 'node:crypto';

/**
 * The hash chain of a project's audit trail (README.md here): row n's hash is
 * sha256(prev_hash ‖ utf8(`${seq}|${canonical(row)}`)), and row 1's prev_hash is 32 zero bytes.
 * The insert computes the same bytes in SQL (`sha256(bytea)`, core PostgreSQL 11+ and PGlite).
 */
export const GENESIS_HASH_HEX = '00'.repeat(32);

/** The fields a row's hash covers, as stored (everything but seq and the hashes themselves). */
export interface ChainedFields {
  id: string;
  projectId: string;
  occurredAt: Date;
  kind: string;
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
  detail: unknown;
  /** The delegation chain (an RFC 8693 `act` claim), or null/absent. Added by migration 0015. */
  delegation?: unknown;
}

/**
 * JSON with object keys sorted, at every depth: the same value always gives the same text, whatever
 * order jsonb hands the keys back in. Numbers and strings are JSON.stringify's (jsonb keeps a
 * number's decimal value, so it parses back to the same double).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * One row's canonical text: a JSON array in a fixed field order. Fields added later are appended
 * only when set, so a row without them (every row written before they existed) hashes to the same
 * text as before, and a row with them is covered: clearing or adding one breaks its hash.
 */
export function canonicalRow(f: ChainedFields): string {
  const appended = f.delegation === null || f.delegation === undefined ? [] : [f.delegation];
  return canonicalJson([
    f.id,
    f.projectId,
    f.occurredAt.toISOString(),
    f.kind,
    f.executionId,
    f.userId,
    f.agentId,
    f.toolSlug,
    f.providerId,
    f.connectedAccountId,
    f.outcome,
    f.errorCode,
    f.upstreamStatus,
    f.latencyMs,
    f.attempts,
    f.traceId,
    f.detail,
    ...appended,
  ]);
}

/** The hash of the row at `seq` whose predecessor's hash is `prevHex` (hex in, hex out). */
export function chainHash(prevHex: string, seq: number, canonical: string): string {
  return createHash('sha256')
    .update(Buffer.from(prevHex, 'hex'))
    .update(`${seq}|${canonical}`, 'utf8')
    .digest('hex');
}
