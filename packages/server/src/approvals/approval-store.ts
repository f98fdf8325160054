import type { Db, Queryable } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';

export type StoredStatus = 'pending' | 'approved' | 'denied' | 'executing' | 'executed';
/** As callers see it: a pending or approved approval past its expiry is `expired`. */
export type ApprovalStatus = StoredStatus | 'expired';

/**
 * Who decided: the end user — proven by a sign-in at the MCP server profile (`signed_in_user`), by
 * the app's verifier (`verified_user`), or only by holding the link (`approval_link`, development) —
 * or a project admin key (`api_key`). See `decision-binding.ts`.
 */
export type DecidedBy =
  | { kind: 'approval_link'; userId: string }
  | { kind: 'signed_in_user'; userId: string; realm: string }
  | { kind: 'verified_user'; userId: string; apiKeyId: string }
  | { kind: 'api_key'; apiKeyId: string; approver: string | null };

export interface ApprovalRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  user_id: string;
  agent_id: string | null;
  tool_slug: string;
  connected_account_id: string;
  request_hash: string;
  arguments_ct: string;
  policies: string[];
  status: StoredStatus;
  key_hash: string;
  /** The login realm (MCP server profile) where only the approval's user may decide it. */
  required_login: string | null;
  decided_by: DecidedBy | null;
  decided_at: Date | null;
  execution_id: string | null;
  executed_at: Date | null;
  expires_at: Date;
  created_at: Date;
}

const COLUMNS = `id, project_id, user_id, agent_id, tool_slug, connected_account_id, request_hash, arguments_ct, policies,
  status, key_hash, required_login, decided_by, decided_at, execution_id, executed_at, expires_at, created_at`;

export const statusOf = (r: ApprovalRow, now = new Date()): ApprovalStatus =>
  (r.status === 'pending' || r.status === 'approved') && r.expires_at <= now ? 'expired' : r.status;

export type NewApproval = Omit<
  ApprovalRow,
  'status' | 'decided_by' | 'decided_at' | 'execution_id' | 'executed_at' | 'created_at'
>;

/** Approval rows. State changes are single conditional UPDATEs, so replicas cannot both win. */
export class ApprovalStore {
  constructor(private readonly db: Db) {}

  async insert(a: NewApproval, q: Queryable = this.db): Promise<ApprovalRow> {
    const { rows } = await q.query<ApprovalRow>(
      `INSERT INTO approvals (id, project_id, user_id, agent_id, tool_slug, connected_account_id, request_hash,
         arguments_ct, policies, status, key_hash, required_login, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12) RETURNING ${COLUMNS}`,
      [
        a.id,
        a.project_id,
        a.user_id,
        a.agent_id,
        a.tool_slug,
        a.connected_account_id,
        a.request_hash,
        a.arguments_ct,
        JSON.stringify(a.policies),
        a.key_hash,
        a.required_login,
        a.expires_at,
      ],
    );
    return rows[0]!;
  }

  async get(projectId: string, id: string): Promise<ApprovalRow | undefined> {
    const { rows } = await this.db.query<ApprovalRow>(
      `SELECT ${COLUMNS} FROM approvals WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0];
  }

  /** The hosted page knows only the id (and proves the key); it learns the project from the row. */
  async getForHostedPage(id: string): Promise<ApprovalRow | undefined> {
    const { rows } = await this.db.query<ApprovalRow>(`SELECT ${COLUMNS} FROM approvals WHERE id = $1`, [id]);
    return rows[0];
  }

  async list(
    projectId: string,
    f: { userId?: string | undefined; status?: StoredStatus | undefined },
    page: Page,
  ): Promise<PageResult<ApprovalRow>> {
    const { rows } = await this.db.query<ApprovalRow>(
      `SELECT ${COLUMNS} FROM approvals
       WHERE project_id = $1 AND ($2::text IS NULL OR user_id = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [projectId, f.userId ?? null, f.status ?? null, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, (r) => r);
  }

  /** pending → approved | denied, while unexpired. Undefined when it was not pending (or expired). */
  async decide(
    projectId: string,
    id: string,
    status: 'approved' | 'denied',
    by: DecidedBy,
    q: Queryable = this.db,
  ): Promise<ApprovalRow | undefined> {
    const { rows } = await q.query<ApprovalRow>(
      `UPDATE approvals SET status = $3, decided_by = $4, decided_at = now()
       WHERE project_id = $1 AND id = $2 AND status = 'pending' AND expires_at > now() RETURNING ${COLUMNS}`,
      [projectId, id, status, JSON.stringify(by)],
    );
    return rows[0];
  }

  /** approved → executing for exactly one caller with the same request, before expiry. */
  async claim(
    projectId: string,
    id: string,
    userId: string,
    requestHash: string,
    executionId: string,
  ): Promise<ApprovalRow | undefined> {
    const { rows } = await this.db.query<ApprovalRow>(
      `UPDATE approvals SET status = 'executing', execution_id = $5
       WHERE project_id = $1 AND id = $2 AND user_id = $3 AND request_hash = $4 AND status = 'approved'
         AND expires_at > now() RETURNING ${COLUMNS}`,
      [projectId, id, userId, requestHash, executionId],
    );
    return rows[0];
  }

  /**
   * The oldest approved, unused, unexpired approval of this user for this exact request, claimed
   * (approved → executing) in the same statement: two concurrent callers cannot both take it.
   */
  async claimApprovedFor(
    projectId: string,
    userId: string,
    requestHash: string,
    executionId: string,
  ): Promise<ApprovalRow | undefined> {
    const { rows } = await this.db.query<ApprovalRow>(
      `UPDATE approvals SET status = 'executing', execution_id = $4
       WHERE id = (SELECT id FROM approvals
                   WHERE project_id = $1 AND user_id = $2 AND request_hash = $3 AND status = 'approved'
                     AND expires_at > now()
                   ORDER BY id LIMIT 1)
         AND status = 'approved' AND expires_at > now() RETURNING ${COLUMNS}`,
      [projectId, userId, requestHash, executionId],
    );
    return rows[0];
  }

  /** The newest pending, unexpired approval of this user for this exact request. */
  async findPendingFor(
    projectId: string,
    userId: string,
    requestHash: string,
  ): Promise<ApprovalRow | undefined> {
    const { rows } = await this.db.query<ApprovalRow>(
      `SELECT ${COLUMNS} FROM approvals
       WHERE project_id = $1 AND user_id = $2 AND request_hash = $3 AND status = 'pending' AND expires_at > now()
       ORDER BY id DESC LIMIT 1`,
      [projectId, userId, requestHash],
    );
    return rows[0];
  }

  /** executing → executed (the upstream was called), or back to approved (it never was). */
  async settle(projectId: string, id: string, executionId: string, executed: boolean): Promise<void> {
    await this.db.query(
      executed
        ? `UPDATE approvals SET status = 'executed', executed_at = now()
           WHERE project_id = $1 AND id = $2 AND execution_id = $3 AND status = 'executing'`
        : `UPDATE approvals SET status = 'approved', execution_id = NULL
           WHERE project_id = $1 AND id = $2 AND execution_id = $3 AND status = 'executing'`,
      [projectId, id, executionId],
    );
  }
}
