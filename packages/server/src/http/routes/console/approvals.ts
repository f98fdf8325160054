import { z } from 'zod';
import type { Approval } from '../../../approvals/approvals.js';
import {
  consolePage,
  csrfField,
  escapeHtml,
  type Notice,
  statusBadge,
  when,
} from '../../../console/layout.js';
import { roleAllows } from '../../../console/roles.js';
import type { ConsoleSession } from '../../../console/sessions.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, seeOther } from './guard.js';

const STATUSES = ['pending', 'approved', 'denied', 'executing', 'executed'] as const;

const NOTICES: Record<string, Notice> = {
  approved: { kind: 'ok', text: 'Approved: the agent may now make this exact call once.' },
  denied: { kind: 'ok', text: 'Denied: the agent will not make this call.' },
  conflict: { kind: 'error', text: 'That approval was already decided or has expired.' },
};

const decidedBy = (a: Approval): string => {
  const by = a.decidedBy;
  if (!by) return '';
  const who =
    by.kind === 'api_key'
      ? (by.approver ?? by.apiKeyId)
      : by.kind === 'approval_link'
        ? `${by.userId} (link)`
        : by.userId;
  return `<p class="muted">Decided by ${escapeHtml(who)} at ${escapeHtml(when(a.decidedAt))}</p>`;
};

function approvalCard(a: Approval, session: ConsoleSession): string {
  const canDecide = roleAllows(session.role, 'operator') && a.status === 'pending';
  const form = canDecide
    ? `<form method="post" action="/console/approvals/${escapeHtml(a.id)}/decision" class="actions">${csrfField(session)}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" class="danger" data-confirm="Deny this call?">Deny</button></form>`
    : '';
  return `<section class="approval" aria-labelledby="h-${escapeHtml(a.id)}">
<h2 id="h-${escapeHtml(a.id)}"><code>${escapeHtml(a.tool)}</code> for ${escapeHtml(a.userId)} ${statusBadge(a.status)}</h2>
<p>Agent ${a.agentId ? `<code>${escapeHtml(a.agentId)}</code>` : '<span class="muted">unnamed</span>'} · account <code>${escapeHtml(a.connectedAccountId)}</code> · asked ${escapeHtml(when(a.createdAt))} · expires ${escapeHtml(when(a.expiresAt))}${a.policies.length ? ` · policies ${a.policies.map((p) => `<code>${escapeHtml(p)}</code>`).join(' ')}` : ''}</p>
<p>The exact arguments (approving allows this call, with these arguments, once):</p>
<pre>${escapeHtml(JSON.stringify(a.arguments, null, 2))}</pre>
${decidedBy(a)}${form}</section>`;
}

/** The approvals queue: each call with its exact arguments; operators decide, recorded as the decider. */
export const consoleApprovalRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/approvals',
    operationId: 'consoleApprovals',
    summary: 'The approvals queue',
    query: z.object({
      status: z.enum(STATUSES).default('pending'),
      userId: z.string().min(1).max(256).optional(),
      notice: z.string().max(32).optional(),
    }),
    handler: async ({ session, query }) => {
      const page = await rt.approvals.list(
        session.projectId,
        { status: query.status, userId: query.userId },
        { limit: 100 },
      );
      const options = STATUSES.map(
        (s) => `<option value="${s}"${s === query.status ? ' selected' : ''}>${s}</option>`,
      ).join('');
      return consoleHtml(
        200,
        consolePage(
          'Approvals',
          `<form method="get" action="/console/approvals" class="filters">
<div><label for="status">Status</label><select id="status" name="status">${options}</select></div>
<div><label for="userId">User</label><input type="text" id="userId" name="userId" value="${escapeHtml(query.userId ?? '')}"></div>
<button type="submit">Show</button></form>
${page.items.map((a) => approvalCard(a, session)).join('') || `<p class="muted">No ${escapeHtml(query.status)} approvals.</p>`}`,
          session,
          '/console/approvals',
          query.notice ? NOTICES[query.notice] : undefined,
        ),
      );
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/approvals/:id/decision',
    operationId: 'consoleDecideApproval',
    summary: 'Approves or denies a pending call',
    role: 'operator',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    body: z.object({ csrf: z.string().max(100), decision: z.enum(['approve', 'deny']) }),
    handler: async ({ session, params, body }) => {
      // The approvals module decides (one pending → decided transition, its event and audit row);
      // the console operator is the recorded decider.
      const decided = await rt.approvals.decide(session.projectId, params.id, body.decision, {
        kind: 'api_key',
        apiKeyId: `console:${session.operator}`,
        approver: session.operatorName,
      });
      const notice = decided.ok ? (body.decision === 'approve' ? 'approved' : 'denied') : 'conflict';
      return seeOther(`/console/approvals?notice=${notice}`);
    },
  }),
];
