import type { ToolEntry } from '../catalog/tool-catalog.js';
import { escapeHtml, layout, type PageFrame } from '../connect/pages.js';
import type { Approval } from './approvals.js';

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

type PageForm = {
  key: string;
  csrf: string;
  accountLabel: string;
  tool: ToolEntry | undefined;
  /** `app`: the app decides (production without a user binding); the page only shows the call. */
  decidedIn: 'page' | 'app';
};

const decidedBody = (a: Approval) =>
  `<p>This request is <strong>${escapeHtml(a.status)}</strong>${a.decidedAt ? ` (decided ${escapeHtml(when(a.decidedAt))})` : ''}.</p>`;

const expiry = (a: Approval) =>
  `<p class="muted">This request expires at ${escapeHtml(when(a.expiresAt))}. Approving allows this exact call once.</p>`;

const formBody = (a: Approval, form: PageForm) =>
  `<form method="post" action="/approvals/${escapeHtml(a.id)}/decision">
<input type="hidden" name="key" value="${escapeHtml(form.key)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
<p><button type="submit" name="decision" value="approve">Approve</button></p>
<p><button type="submit" name="decision" value="deny" class="secondary">Deny</button></p>
</form>
${expiry(a)}`;

/** The approval page: what the agent wants to do, with which account, and (where allowed) two buttons. */
export function approvalPage(frame: PageFrame, a: Approval, form: PageForm): string {
  const tool = form.tool;
  const title = tool?.tool.name ?? a.tool;
  const args = JSON.stringify(a.arguments, null, 2);
  const body =
    a.status !== 'pending'
      ? decidedBody(a)
      : form.decidedIn === 'app'
        ? `<p>Your app decides this request: approve or deny it there.</p>${expiry(a)}`
        : formBody(a, form);
  return layout(
    frame,
    `<h1>Approve an action?</h1>
<p>${a.agentId ? `The agent <code>${escapeHtml(a.agentId)}</code>` : 'An agent'} asks to <strong>${escapeHtml(title)}</strong>
(<code>${escapeHtml(a.tool)}</code>) with your account ${escapeHtml(form.accountLabel)}.</p>
${tool ? `<p class="muted">${escapeHtml(tool.tool.description)}</p>` : ''}
<p>With these details:</p><pre style="white-space:pre-wrap;background:#f0f1f3;padding:12px;border-radius:8px">${escapeHtml(args)}</pre>
${body}`,
  );
}

export function approvalDonePage(frame: PageFrame, decision: 'approved' | 'denied'): string {
  return layout(
    frame,
    `<h1>${decision === 'approved' ? 'Approved' : 'Denied'}</h1><p>${
      decision === 'approved'
        ? 'The agent may now perform this action once.'
        : 'The agent will not perform this action.'
    }</p><p>You can close this window.</p>`,
  );
}

export function approvalErrorPage(frame: PageFrame, message: string): string {
  return layout(frame, `<h1>This approval cannot be used</h1><p>${escapeHtml(message)}</p>`);
}
