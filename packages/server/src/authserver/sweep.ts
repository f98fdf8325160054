import type { Db } from '../store/db.js';

// Kept a day past expiry: a code presented again soon after is still recognised (and its grant revoked).
const SWEEPS = [
  "DELETE FROM mcp_authorization_requests WHERE id IN (SELECT id FROM mcp_authorization_requests WHERE project_id = $1 AND expires_at < now() - interval '1 day' LIMIT 200)",
  "DELETE FROM mcp_login_attempts WHERE id IN (SELECT id FROM mcp_login_attempts WHERE project_id = $1 AND expires_at < now() - interval '1 day' LIMIT 200)",
  'DELETE FROM mcp_login_sessions WHERE id IN (SELECT id FROM mcp_login_sessions WHERE project_id = $1 AND expires_at < now() LIMIT 200)',
  "DELETE FROM mcp_refresh_tokens WHERE token_hash IN (SELECT token_hash FROM mcp_refresh_tokens WHERE project_id = $1 AND expires_at < now() - interval '1 day' LIMIT 200)",
];

/**
 * Removes a project's long-expired sign-in and authorization rows, a bounded batch at a time. Runs
 * alongside new authorization requests, so tables stay proportional to recent activity.
 */
export async function sweepExpired(db: Db, projectId: string): Promise<void> {
  for (const sql of SWEEPS) await db.query(sql, [projectId]);
}
