import { timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import { sha256Hex } from '../connect/links.js';
import type { EventApproval, EventLog } from '../events/event-log.js';
import type { ErrorCode } from '../shared/errors.js';
import { newId, randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { Page, PageResult } from '../store/pagination.js';
import type { Vault } from '../vault/vault.js';
import {
  type ApprovalRow,
  type ApprovalStatus,
  type ApprovalStore,
  type DecidedBy,
  type StoredStatus,
  statusOf,
} from './approval-store.js';

export const APPROVAL_TTL_MS = 15 * 60_000;

/** An approval as the API and the SDK see it. */
export interface Approval {
  id: string;
  status: ApprovalStatus;
  userId: string;
  agentId: string | null;
  tool: string;
  connectedAccountId: string;
  arguments: Record<string, unknown>;
  policies: string[];
  /** The MCP server profile where only the approval's user, signed in, may decide it. */
  requiredLogin: string | null;
  decidedBy: DecidedBy | null;
  decidedAt: Date | null;
  executionId: string | null;
  executedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

export interface ApprovalRequest {
  userId: string;
  agentId: string | null;
  tool: string;
  connectedAccountId: string;
  arguments: Record<string, unknown>;
  requestHash: string;
  policies: string[];
  /** Set when the call came through an MCP session signed in at this realm (a server profile id). */
  requiredLogin?: string | null | undefined;
}

/** The approval as `approval.*` events show it (no arguments, no link). */
const eventApproval = (r: ApprovalRow): EventApproval => ({
  id: r.id,
  status: r.status as EventApproval['status'],
  userId: r.user_id,
  agentId: r.agent_id,
  tool: r.tool_slug,
  connectedAccountId: r.connected_account_id,
  policies: r.policies,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  expiresAt: r.expires_at.toISOString(),
  createdAt: r.created_at.toISOString(),
});

const binding = (id: string) => ({ table: 'approvals', rowId: id, purpose: 'arguments' });
const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Why an approved call may not run (a tool result code for the agent). */
export type ClaimRefusal = Extract<
  ErrorCode,
  | 'approval_not_found'
  | 'approval_mismatch'
  | 'approval_pending'
  | 'approval_denied'
  | 'approval_expired'
  | 'approval_used'
>;

/**
 * Human approval of one exact call. Execute creates it when a policy asks; the end user (on the
 * hosted page, bound as `decision-binding.ts` says) or a project admin (with an API key) approves or
 * denies it; the approved call then runs
 * exactly once: `claim` flips approved → executing in one conditional UPDATE.
 */
export class Approvals {
  constructor(
    private readonly store: ApprovalStore,
    private readonly vault: Vault,
    private readonly audit: AuditLog,
    private readonly outbox: { db: Db; events: EventLog },
    private readonly publicUrl: string,
  ) {}

  async create(projectId: string, r: ApprovalRequest): Promise<{ approval: Approval; approvalUrl: string }> {
    const id = newId('apr');
    const key = randomToken(32);
    const arguments_ct = await this.vault.encrypt(projectId, binding(id), JSON.stringify(r.arguments));
    const row = await this.outbox.db.transaction(async (tx) => {
      const inserted = await this.store.insert(
        {
          id,
          project_id: projectId,
          user_id: r.userId,
          agent_id: r.agentId,
          tool_slug: r.tool,
          connected_account_id: r.connectedAccountId,
          request_hash: r.requestHash,
          arguments_ct,
          policies: r.policies,
          key_hash: sha256Hex(key),
          required_login: r.requiredLogin ?? null,
          expires_at: new Date(Date.now() + APPROVAL_TTL_MS),
        },
        tx,
      );
      await this.outbox.events.emitApproval(tx, projectId, 'approval.requested', eventApproval(inserted));
      return inserted;
    });
    return { approval: await this.present(row), approvalUrl: `${this.publicUrl}/approvals/${id}?key=${key}` };
  }

  async get(projectId: string, id: string): Promise<Result<Approval>> {
    const row = await this.store.get(projectId, id);
    return row ? ok(await this.present(row)) : fail('not_found', `approval ${id} not found`);
  }

  async list(
    projectId: string,
    f: { userId?: string | undefined; status?: StoredStatus | undefined },
    page: Page,
  ): Promise<PageResult<Approval>> {
    const rows = await this.store.list(projectId, f, page);
    return { items: await Promise.all(rows.items.map((r) => this.present(r))), nextCursor: rows.nextCursor };
  }

  /** For the hosted page: the key in the link proves the right to see and decide. */
  async openWithKey(id: string, key: string): Promise<Result<{ projectId: string; approval: Approval }>> {
    const row = await this.store.getForHostedPage(id);
    if (!row || !sameHash(row.key_hash, sha256Hex(key)))
      return fail('not_found', 'This approval link is not valid.');
    return ok({ projectId: row.project_id, approval: await this.present(row) });
  }

  async decide(
    projectId: string,
    id: string,
    decision: 'approve' | 'deny',
    by: DecidedBy,
  ): Promise<Result<Approval>> {
    // The decision and its `approval.decided` event commit together.
    const row = await this.outbox.db.transaction(async (tx) => {
      const decided = await this.store.decide(
        projectId,
        id,
        decision === 'approve' ? 'approved' : 'denied',
        by,
        tx,
      );
      if (decided)
        await this.outbox.events.emitApproval(tx, projectId, 'approval.decided', eventApproval(decided));
      return decided;
    });
    if (!row) {
      const current = await this.store.get(projectId, id);
      if (!current) return fail('not_found', `approval ${id} not found`);
      const status = statusOf(current);
      return status === 'expired'
        ? fail('approval_expired', `approval ${id} expired at ${current.expires_at.toISOString()}`)
        : fail('conflict', `approval ${id} was already decided (${status})`);
    }
    await this.audit.record({
      projectId,
      kind: 'approval.decided',
      executionId: id,
      userId: row.user_id,
      agentId: row.agent_id,
      toolSlug: row.tool_slug,
      providerId: null,
      connectedAccountId: row.connected_account_id,
      outcome: row.status,
      errorCode: null,
      upstreamStatus: null,
      latencyMs: 0,
      attempts: 0,
      traceId: null,
      detail: { approvalId: id, decision: row.status, decidedBy: by },
    });
    return ok(await this.present(row));
  }

  /** Takes the right to run an approved call, once. Refusals say why, for the agent. */
  async claim(
    projectId: string,
    id: string,
    userId: string,
    requestHash: string,
    executionId: string,
  ): Promise<Result<Approval, { code: ClaimRefusal; message: string }>> {
    const claimed = await this.store.claim(projectId, id, userId, requestHash, executionId);
    if (claimed) return ok(await this.present(claimed));
    const row = await this.store.get(projectId, id);
    const refuse = (code: ClaimRefusal, message: string) => ({
      ok: false as const,
      error: { code, message },
    });
    if (!row || row.user_id !== userId)
      return refuse('approval_not_found', `approval ${id} not found for this user`);
    if (row.request_hash !== requestHash)
      return refuse('approval_mismatch', `approval ${id} was given for another tool, account or arguments`);
    switch (statusOf(row)) {
      case 'pending':
        return refuse('approval_pending', `approval ${id} is still waiting for a decision`);
      case 'denied':
        return refuse('approval_denied', `approval ${id} was denied`);
      case 'expired':
        return refuse('approval_expired', `approval ${id} expired at ${row.expires_at.toISOString()}`);
      default:
        return refuse('approval_used', `approval ${id} was already used by execution ${row.execution_id}`);
    }
  }

  /**
   * For callers that cannot name an approval (an MCP client repeating a call): takes an approved,
   * unused approval of this user for this exact request, once. Undefined when there is none.
   */
  async claimApproved(
    projectId: string,
    userId: string,
    requestHash: string,
    executionId: string,
  ): Promise<Approval | undefined> {
    const claimed = await this.store.claimApprovedFor(projectId, userId, requestHash, executionId);
    return claimed ? this.present(claimed) : undefined;
  }

  /** A pending, unexpired approval of this user for this exact request, if one already waits. */
  async pendingFor(projectId: string, userId: string, requestHash: string): Promise<Approval | undefined> {
    const row = await this.store.findPendingFor(projectId, userId, requestHash);
    return row ? this.present(row) : undefined;
  }

  settle(projectId: string, id: string, executionId: string, executed: boolean): Promise<void> {
    return this.store.settle(projectId, id, executionId, executed);
  }

  private async present(r: ApprovalRow): Promise<Approval> {
    const args = await this.vault.decrypt(r.project_id, binding(r.id), r.arguments_ct);
    return {
      id: r.id,
      status: statusOf(r),
      userId: r.user_id,
      agentId: r.agent_id,
      tool: r.tool_slug,
      connectedAccountId: r.connected_account_id,
      arguments: args.ok ? (JSON.parse(args.value) as Record<string, unknown>) : {},
      policies: r.policies,
      requiredLogin: r.required_login,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      executionId: r.execution_id,
      executedAt: r.executed_at,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
    };
  }
}
