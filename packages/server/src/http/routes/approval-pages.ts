import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DecidedBy } from '../../approvals/approval-store.js';
import { approvalDonePage, approvalErrorPage, approvalPage } from '../../approvals/page.js';
import { type PageFrame, pageCsp } from '../../connect/pages.js';
import type { Runtime } from '../../runtime.js';
import { randomToken } from '../../shared/ids.js';
import type { Failure } from '../../shared/result.js';
import { pageResponses } from '../responses.js';
import type { HttpResponse } from '../route.js';
import { defineRoute } from '../route.js';

const NEUTRAL: PageFrame = { title: 'Approve an action', appName: 'Gatehouse', branding: {} };
const params = z.strictObject({ id: z.string().min(1).max(64) });
const keySchema = z.string().min(1).max(100);

const html = (status: number, body: string): HttpResponse => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': pageCsp(),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  },
});

/** Double-submit CSRF token: a SameSite=Strict cookie that the form must echo. */
function csrfCookie(rt: Runtime): string {
  return rt.config.publicUrl.startsWith('https://') ? '__Host-gatehouse_csrf' : 'gatehouse_csrf';
}

function issueCsrf(rt: Runtime, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[csrfCookie(rt)];
  if (existing && /^[A-Za-z0-9]{32}$/.test(existing)) return existing;
  const token = randomToken(32);
  reply.setCookie(csrfCookie(rt), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: rt.config.publicUrl.startsWith('https://'),
    maxAge: 3600,
  });
  return token;
}

const csrfMatches = (cookie: string | undefined, field: string): boolean =>
  cookie !== undefined &&
  cookie.length === field.length &&
  timingSafeEqual(Buffer.from(cookie), Buffer.from(field));

async function frameFor(
  rt: Runtime,
  projectId: string,
  accountId: string,
): Promise<{ frame: PageFrame; label: string }> {
  const account = await rt.accountStore.get(projectId, accountId);
  if (!account) return { frame: NEUTRAL, label: '' };
  const config = await rt.authConfigs.get(projectId, account.authConfigId);
  const label = `${account.providerId}${account.label ? ` “${account.label}”` : ''}`;
  if (!config.ok) return { frame: NEUTRAL, label };
  const appName = config.value.branding.displayName ?? config.value.name;
  return { frame: { title: 'Approve an action', appName, branding: config.value.branding }, label };
}

/** Where to send a browser that must sign in first, or the error page for a refused binding. */
function bindingRefusal(error: Failure): HttpResponse {
  const loginUrl = error.code === 'login_required' ? error.details?.loginUrl : undefined;
  if (typeof loginUrl === 'string') return { status: 303, headers: { location: loginUrl } };
  return html(error.code === 'login_unavailable' ? 503 : 403, approvalErrorPage(NEUTRAL, error.message));
}

const pageUrl = (id: string, key: string) => `/approvals/${id}?key=${encodeURIComponent(key)}`;

/**
 * The hosted approval page, for the end user. The link's key lets the page show the call; who may
 * decide it is `ApprovalDecisions.bindingFor` (a sign-in, the app's verifier, the app alone, or —
 * in development — the link). The form is CSRF-protected.
 */
export const approvalPageRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/approvals/:id',
    auth: 'none',
    operationId: 'approvalPage',
    params,
    query: z.object({ key: keySchema }),
    responses: pageResponses([403, 404, 503], true),
    handler: async ({ params, query, request, reply }) => {
      const opened = await rt.approvals.openWithKey(params.id, query.key);
      if (!opened.ok) return html(404, approvalErrorPage(NEUTRAL, opened.error.message));
      const { projectId, approval } = opened.value;
      const binding = await rt.approvalDecisions.bindingFor(projectId, approval);
      if (binding.kind === 'signed_in') {
        const checked = await rt.approvalDecisions.checkSignedIn(
          projectId,
          approval,
          binding.realm,
          request.cookies,
          pageUrl(approval.id, query.key),
        );
        if (!checked.ok) return bindingRefusal(checked.error);
      }
      const { frame, label } = await frameFor(rt, projectId, approval.connectedAccountId);
      const tool = await rt.catalog.get(projectId, approval.tool);
      const csrf = issueCsrf(rt, request, reply);
      return html(
        200,
        approvalPage(frame, approval, {
          key: query.key,
          csrf,
          accountLabel: label,
          tool,
          decidedIn: binding.kind === 'app_only' ? 'app' : 'page',
        }),
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/approvals/:id/decision',
    auth: 'none',
    operationId: 'decideApprovalPage',
    params,
    body: z.object({ key: keySchema, csrf: z.string().max(100), decision: z.enum(['approve', 'deny']) }),
    responses: pageResponses([403, 404, 409, 503], true),
    handler: async ({ params, body, request }) => {
      if (!csrfMatches(request.cookies[csrfCookie(rt)], body.csrf))
        return html(
          403,
          approvalErrorPage(NEUTRAL, 'This form expired or came from another page. Open the link again.'),
        );
      const opened = await rt.approvals.openWithKey(params.id, body.key);
      if (!opened.ok) return html(404, approvalErrorPage(NEUTRAL, opened.error.message));
      const { projectId, approval } = opened.value;
      const { frame } = await frameFor(rt, projectId, approval.connectedAccountId);
      const binding = await rt.approvalDecisions.bindingFor(projectId, approval);
      let by: DecidedBy;
      switch (binding.kind) {
        case 'app_only':
          return html(
            403,
            approvalErrorPage(frame, 'Your app decides this request: approve or deny it there.'),
          );
        case 'app_verifier': {
          if (approval.status !== 'pending')
            return html(409, approvalErrorPage(frame, `This request is already ${approval.status}.`));
          const location = await rt.approvalDecisions.verifierRedirect(
            projectId,
            approval,
            body.decision,
            binding.verifierUrl,
          );
          return { status: 303, headers: { location, 'referrer-policy': 'no-referrer' } };
        }
        case 'signed_in': {
          const checked = await rt.approvalDecisions.checkSignedIn(
            projectId,
            approval,
            binding.realm,
            request.cookies,
            pageUrl(approval.id, body.key),
          );
          if (!checked.ok) return bindingRefusal(checked.error);
          by = { kind: 'signed_in_user', userId: checked.value, realm: binding.realm };
          break;
        }
        case 'link':
          by = { kind: 'approval_link', userId: approval.userId };
      }
      const decided = await rt.approvals.decide(projectId, params.id, body.decision, by);
      if (!decided.ok) return html(409, approvalErrorPage(frame, decided.error.message));
      return html(200, approvalDonePage(frame, decided.value.status === 'approved' ? 'approved' : 'denied'));
    },
  }),
];
