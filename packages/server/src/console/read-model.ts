import type { Db } from '../store/db.js';

export interface EndUserSummary {
  userId: string;
  accounts: number;
  active: number;
  lastUsedAt: Date | null;
}

/**
 * The project's end users as the console lists them: everyone with a connected account, with how
 * many they have and when one was last used. Read-only; every change goes through the services.
 */
export async function listEndUsers(
  db: Db,
  projectId: string,
  filter: { search?: string | undefined; limit: number },
): Promise<EndUserSummary[]> {
  const params: unknown[] = [projectId, filter.limit];
  let where = 'project_id = $1';
  if (filter.search) {
    params.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where += ` AND user_id ILIKE $${params.length}`;
  }
  const { rows } = await db.query<{
    user_id: string;
    accounts: string | number;
    active: string | number;
    last_used_at: Date | null;
  }>(
    `SELECT user_id, count(*) AS accounts, count(*) FILTER (WHERE status = 'ACTIVE') AS active,
            max(last_used_at) AS last_used_at
     FROM connected_accounts WHERE ${where}
     GROUP BY user_id ORDER BY max(updated_at) DESC LIMIT $2`,
    params,
  );
  return rows.map((r) => ({
    userId: r.user_id,
    accounts: Number(r.accounts),
    active: Number(r.active),
    lastUsedAt: r.last_used_at,
  }));
}
