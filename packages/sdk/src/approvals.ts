import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import { sleep } from './retry.js';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'executing' | 'executed' | 'expired';

/**
 * Who decided: the end user — signed in at the MCP server profile (`signed_in_user`), confirmed by
 * the app's verifier (`verified_user`), or only holding the link in development (`approval_link`) —
 * or a project admin key (`api_key`).
 */
export type ApprovalDecidedBy =
  | { kind: 'approval_link'; userId: string }
  | { kind: 'signed_in_user'; userId: string; realm: string }
  | { kind: 'verified_user'; userId: string; apiKeyId: string }
  | { kind: 'api_key'; apiKeyId: string; approver: string | null };

/** A call a policy said needs a human's approval; see `approval_required` tool results. */
export interface Approval {
  id: string;
  status: ApprovalStatus;
  userId: string;
  agentId: string | null;
  tool: string;
  connectedAccountId: string;
  arguments: Record<string, unknown>;
  /** The policies that asked for approval. */
  policies: string[];
  /** The MCP server profile where only the approval's user, signed in, may decide it. */
  requiredLogin: string | null;
  decidedBy: ApprovalDecidedBy | null;
  decidedAt: string | null;
  executionId: string | null;
  executedAt: string | null;
  expiresAt: string;
  createdAt: string;
}

/** The approval was denied or expired, or waiting for a decision timed out. */
export class ApprovalNotGrantedError extends Error {
  override readonly name = 'ApprovalNotGrantedError';
  constructor(
    readonly code: 'approval_denied' | 'approval_expired' | 'timeout',
    message: string,
    readonly approval: Approval | undefined,
  ) {
    super(message);
  }
}

const path = (id: string, action = '') => `/v1/approvals/${seg(id)}${action}`;

/**
 * `gatehouse.approvals`: read, decide and wait for approvals. After `waitForDecision` resolves,
 * execute the same tool with the same arguments and account, passing `approvalId`: it runs once.
 */
export type ApprovalQuery = {
  userId?: string;
  status?: Exclude<ApprovalStatus, 'expired'>;
  cursor?: string;
  limit?: number;
};

export function approvalsClient(http: () => HttpClient) {
  const list = (q: ApprovalQuery = {}) =>
    http().request<{ items: Approval[]; nextCursor: string | null }>('GET', '/v1/approvals', { query: q });
  const api = {
    get: (id: string) => http().request<Approval>('GET', path(id)),
    list,
    /** Every matching approval, page by page as you consume them. */
    iterate: (q: Omit<ApprovalQuery, 'cursor'> = {}) => paginate(list, q),
    /**
     * Approves; needs an admin key (a runtime key gets 403 `forbidden`, so an agent cannot approve
     * its own actions). `approver` (an email, a staff id) is recorded in the audit trail.
     */
    approve: (id: string, options: { approver?: string } = {}) =>
      http().request<Approval>('POST', path(id, '/approve'), { body: options }),
    /** Denies; needs an admin key, as `approve`. */
    deny: (id: string, options: { approver?: string } = {}) =>
      http().request<Approval>('POST', path(id, '/deny'), { body: options }),
    /**
     * With the project's user verifier on: confirms the decision your signed-in user made on the
     * hosted page (the `assertion` your verifier URL received). Needs an admin key.
     */
    confirm: (id: string, input: { userId: string; assertion: string }) =>
      http().request<Approval>('POST', path(id, '/confirm'), { body: input }),
    /**
     * Resolves with the approval once it is approved; rejects with ApprovalNotGrantedError when it is
     * denied, expires, or `timeoutMs` passes (default: until it expires).
     */
    waitForDecision: async (
      id: string,
      options: { timeoutMs?: number; pollIntervalMs?: number } = {},
    ): Promise<Approval> => {
      const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
      let interval = options.pollIntervalMs ?? 500;
      for (;;) {
        const approval = await api.get(id);
        if (approval.status !== 'pending') {
          if (approval.status === 'denied')
            throw new ApprovalNotGrantedError('approval_denied', `approval ${id} was denied`, approval);
          if (approval.status === 'expired')
            throw new ApprovalNotGrantedError('approval_expired', `approval ${id} expired`, approval);
          return approval;
        }
        const until = deadline ?? Date.parse(approval.expiresAt);
        if (Date.now() >= until)
          throw new ApprovalNotGrantedError('timeout', `timed out waiting for approval ${id}`, approval);
        await sleep(Math.min(interval, Math.max(0, until - Date.now())));
        interval = Math.min(interval * 1.5, 3_000);
      }
    },
  };
  return api;
}
