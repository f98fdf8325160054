import type { Db } from '../store/db.js';

export type UsageGroup = 'user' | 'agent' | 'tool';

export interface UsageRow {
  key: string | null;
  calls: number;
  costUnits: number;
}

const COLUMN: Record<UsageGroup, string> = { user: 'user_id', agent: 'agent_id', tool: 'tool_slug' };

/**
 * Charged calls (those that passed rate limits and budgets) since a time, grouped by user, agent or
 * tool. Read from the audit trail, where execute records each call's cost units.
 */
export async function usage(
  db: Db,
  projectId: string,
  groupBy: UsageGroup,
  since: Date,
): Promise<UsageRow[]> {
  const column = COLUMN[groupBy];
  const { rows } = await db.query<{
    key: string | null;
    calls: string | number;
    cost: string | number | null;
  }>(
    `SELECT ${column} AS key, count(*) AS calls, sum((detail->>'costUnits')::double precision) AS cost
     FROM audit_events
     WHERE project_id = $1 AND kind IN ('tool.execute', 'proxy.request') AND occurred_at >= $2 AND detail ? 'costUnits'
     GROUP BY ${column} ORDER BY cost DESC, key LIMIT 1000`,
    [projectId, since],
  );
  return rows.map((r) => ({ key: r.key, calls: Number(r.calls), costUnits: Number(r.cost ?? 0) }));
}

export interface UsagePoint {
  /** Start of the bucket (UTC). */
  at: Date;
  key: string | null;
  calls: number;
  costUnits: number;
}

/**
 * The same charged calls as `usage`, per hour or day bucket and per user, agent or tool: what the
 * console charts over time.
 */
export async function usageSeries(
  db: Db,
  projectId: string,
  groupBy: UsageGroup,
  since: Date,
  bucket: 'hour' | 'day',
): Promise<UsagePoint[]> {
  const column = COLUMN[groupBy];
  const { rows } = await db.query<{
    at: Date;
    key: string | null;
    calls: string | number;
    cost: string | number | null;
  }>(
    `SELECT date_trunc('${bucket === 'hour' ? 'hour' : 'day'}', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS at,
            ${column} AS key, count(*) AS calls, sum((detail->>'costUnits')::double precision) AS cost
     FROM audit_events
     WHERE project_id = $1 AND kind IN ('tool.execute', 'proxy.request') AND occurred_at >= $2 AND detail ? 'costUnits'
     GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 5000`,
    [projectId, since],
  );
  return rows.map((r) => ({
    at: new Date(r.at),
    key: r.key,
    calls: Number(r.calls),
    costUnits: Number(r.cost ?? 0),
  }));
}
