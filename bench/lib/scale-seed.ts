import { randomBytes } from 'node:crypto';
import { sealCredentials } from '../../packages/server/src/accounts/credentials.js';
import { AccountTransitions } from '../../packages/server/src/accounts/transitions.js';
import { type AuditEntry, AuditLog } from '../../packages/server/src/audit/audit-log.js';
import { canonicalRow, chainHash, GENESIS_HASH_HEX } from '../../packages/server/src/audit/chain.js';
import type { Runtime } from '../../packages/server/src/runtime.js';
import { newId } from '../../packages/server/src/shared/ids.js';

/**
 * Seeding for `npm run bench scale`. Volume goes in by bulk INSERT … SELECT unnest(…), but every row is
 * made by the project's own code: credentials sealed by the vault for their own row, audit rows with
 * canonical text and hash from audit/chain.ts (so `verify` accepts them), ids from shared/ids.ts.
 * A share of each table also goes through the real write paths (AccountStore.insert + activate,
 * AuditLog.record with group commit), chaining onto the bulk rows.
 */

export const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 30;
export const AGENTS = 20;
export const TOOLS = 30;
export const USERS = 10_000;
/** Outcomes and their shares; `budget_exceeded` is never seeded (a filter that matches nothing). */
const OUTCOMES: Array<[string, number]> = [
  ['success', 0.9],
  ['error', 0.05],
  ['rejected', 0.03],
  ['policy_denied', 0.015],
  ['rate_limited', 0.005],
];
const STATUSES: Array<[string, number]> = [
  ['ACTIVE', 0.9],
  ['EXPIRED', 0.05],
  ['REVOKED', 0.04],
  ['INITIATED', 0.01],
];

const pick = <T>(table: Array<[T, number]>, r: number): T => {
  let acc = 0;
  for (const [value, share] of table) {
    acc += share;
    if (r < acc) return value;
  }
  return table[0]![0];
};

export interface SeededAccounts {
  total: number;
  active: number;
}

/** `count` accounts of one auth config: the first `viaCode` through AccountStore.insert + activate. */
export async function seedAccounts(
  rt: Runtime,
  projectId: string,
  authConfigId: string,
  count: number,
  viaCode: number,
): Promise<SeededAccounts> {
  const transitions = new AccountTransitions(rt.accountStore, rt.events);
  const now = Date.now();
  const credentials = () => ({
    accessToken: randomBytes(24).toString('base64url'),
    refreshToken: randomBytes(24).toString('base64url'),
    tokenType: 'bearer',
  });
  // Scheduled over the next hour: nothing is due until a benchmark state says so.
  const schedule = (i: number) => new Date(now + 60_000 + ((i * 7919) % 3_600_000));
  for (let i = 0; i < viaCode; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, viaCode - i) }, async (_, j) => {
        const n = i + j;
        const id = newId('ca');
        const credentialsCt = await sealCredentials(rt.vault, projectId, id, credentials());
        await rt.db.transaction(async (tx) => {
          const account = await rt.accountStore.insert(
            tx,
            projectId,
            id,
            {
              authConfigId,
              userId: `user-${n % (count / 2)}`,
              groupId: null,
              providerId: 'sandbox',
              label: null,
            },
            {
              scopes: ['tasks:read'],
              credentialsCt,
              accessTokenExpiresAt: new Date(schedule(n).getTime() + 300_000),
              nextRefreshAt: schedule(n),
              subject: `subject-${n}`,
              displayName: null,
              connectionConfig: {},
            },
          );
          await transitions.activate(tx, account);
        });
      }),
    );
  }
  let active = viaCode;
  const CHUNK = 5_000;
  for (let start = viaCode; start < count; start += CHUNK) {
    const n = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => start + k);
    const ids = n.map(() => newId('ca'));
    const sealed = await Promise.all(
      ids.map((id) => sealCredentials(rt.vault, projectId, id, credentials())),
    );
    const statuses = n.map((i) => pick(STATUSES, ((i * 2654435761) % 1_000_003) / 1_000_003));
    active += statuses.filter((s) => s === 'ACTIVE').length;
    await rt.db.query(
      `INSERT INTO connected_accounts (id, project_id, auth_config_id, user_id, provider_id, subject, status,
         scopes, credentials_ct, access_token_expires_at, next_refresh_at, last_refreshed_at)
       SELECT id, $1, $2, user_id, 'sandbox', subject, status, '["tasks:read"]', ct, due + interval '5 minutes',
         CASE WHEN status = 'ACTIVE' THEN due END, now()
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS t (id, user_id, subject, status, ct, due)`,
      [
        projectId,
        authConfigId,
        ids,
        n.map((i) => `user-${i % (count / 2)}`),
        n.map((i) => `subject-${i}`),
        statuses,
        sealed,
        n.map((i) => schedule(i)),
      ],
    );
  }
  return { total: count, active };
}

/** One audit entry of the seeded history (`i`-th of `count`). */
export function historyEntry(projectId: string, i: number): AuditEntry {
  const outcome = pick(OUTCOMES, ((i * 40503) % 65_521) / 65_521);
  return {
    projectId,
    kind: 'tool.execute',
    executionId: '',
    userId: `user-${(i * 31) % USERS}`,
    agentId: `agent-${i % AGENTS}`,
    toolSlug: `acme.tool${(i * 7) % TOOLS}`,
    providerId: 'sandbox',
    connectedAccountId: null,
    outcome,
    errorCode: outcome === 'success' ? null : outcome,
    upstreamStatus: outcome === 'success' ? 200 : null,
    latencyMs: 20 + ((i * 13) % 400) / 7,
    attempts: 1,
    traceId: null,
    detail: { arguments: { limit: (i % 50) + 1 } },
  };
}

/**
 * `count` chained audit rows spread over the last HISTORY_DAYS days, oldest first, then `viaCode`
 * more through AuditLog.record (group commit, 64 in flight), which chain onto them. Returns the
 * execution id of a row in the middle (for the executionId filter).
 */
export async function seedAudit(
  rt: Runtime,
  projectId: string,
  count: number,
  viaCode: number,
): Promise<{ middleExecutionId: string }> {
  const start = Date.now() - HISTORY_DAYS * DAY_MS;
  const step = (HISTORY_DAYS * DAY_MS - 60_000) / count;
  let prev = GENESIS_HASH_HEX;
  let middleExecutionId = '';
  const CHUNK = 10_000;
  let inflight: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < count; from += CHUNK) {
    const cols = {
      id: [] as string[],
      execution: [] as string[],
      user: [] as string[],
      agent: [] as string[],
      tool: [] as string[],
      outcome: [] as string[],
      errorCode: [] as Array<string | null>,
      status: [] as Array<number | null>,
      latency: [] as number[],
      detail: [] as string[],
      at: [] as string[],
      seq: [] as number[],
      prev: [] as string[],
      hash: [] as string[],
    };
    for (let i = from; i < Math.min(count, from + CHUNK); i++) {
      const at = Math.floor(start + i * step);
      const id = newId('aud', at);
      const e = { ...historyEntry(projectId, i), executionId: newId('exe', at) };
      if (i === Math.floor(count / 2)) middleExecutionId = e.executionId;
      const occurredAt = new Date(at);
      const hash = chainHash(prev, i + 1, canonicalRow({ ...e, id, occurredAt }));
      cols.id.push(id);
      cols.execution.push(e.executionId);
      cols.user.push(e.userId!);
      cols.agent.push(e.agentId!);
      cols.tool.push(e.toolSlug!);
      cols.outcome.push(e.outcome);
      cols.errorCode.push(e.errorCode);
      cols.status.push(e.upstreamStatus);
      cols.latency.push(e.latencyMs);
      cols.detail.push(JSON.stringify(e.detail));
      cols.at.push(occurredAt.toISOString());
      cols.seq.push(i + 1);
      cols.prev.push(prev);
      cols.hash.push(hash);
      prev = hash;
    }
    // One chunk in flight while the next is hashed: the database and the hashing share the two cores.
    await inflight;
    inflight = rt.db.query(
      `INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
         connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail,
         occurred_at, seq, prev_hash, hash)
       SELECT id, $1, 'tool.execute', execution_id, user_id, agent_id, tool_slug, 'sandbox', NULL, outcome,
         error_code, upstream_status, latency_ms, 1, NULL, detail, occurred_at, seq, decode(prev, 'hex'), decode(hash, 'hex')
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::integer[], $10::float8[], $11::jsonb[], $12::timestamptz[], $13::bigint[], $14::text[], $15::text[])
         AS t (id, execution_id, user_id, agent_id, tool_slug, outcome, error_code, upstream_status, latency_ms,
           detail, occurred_at, seq, prev, hash)`,
      [projectId, ...Object.values(cols)],
    );
  }
  await inflight;
  await rt.db.query(
    `INSERT INTO audit_heads (project_id, seq, hash, prev_hash)
     SELECT project_id, seq, hash, prev_hash FROM audit_events WHERE project_id = $1 AND seq = $2`,
    [projectId, count],
  );
  const audit = new AuditLog(rt.db);
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < viaCode) {
        const i = count + next++;
        await audit.record({ ...historyEntry(projectId, i), executionId: newId('exe') });
      }
    }),
  );
  return { middleExecutionId };
}
