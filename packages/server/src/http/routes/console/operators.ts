import { z } from 'zod';
import { consolePage, csrfField, escapeHtml, type Notice, table, when } from '../../../console/layout.js';
import { OPERATOR_ROLES, roleAllows } from '../../../console/roles.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, seeOther } from './guard.js';

const NOTICES: Record<string, Notice> = {
  granted: { kind: 'ok', text: 'Saved: that identity may now sign in with single sign-on.' },
  removed: { kind: 'ok', text: 'Removed: that identity can no longer sign in.' },
  no_sso: {
    kind: 'error',
    text: 'Single sign-on is not configured on this instance (GATEHOUSE_CONSOLE_OIDC_*).',
  },
};
const subjectSchema = z.string().trim().min(1).max(256);

/** Operators who sign in with single sign-on, and their roles in this project (admins grant them). */
export const consoleOperatorRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/operators',
    operationId: 'consoleOperators',
    summary: "The project's single sign-on operators",
    query: z.object({ notice: z.string().max(32).optional() }),
    handler: async ({ session, query }) => {
      const sso = rt.config.consoleOidc;
      const operators = await rt.consoleOperators.list(session.projectId);
      const admin = roleAllows(session.role, 'admin');
      const rows = operators.map((o) => [
        escapeHtml(o.subject),
        escapeHtml(o.role),
        `<code>${escapeHtml(o.issuer)}</code>`,
        escapeHtml(when(o.createdAt)),
        admin
          ? `<form method="post" action="/console/operators/remove" class="inline">${csrfField(session)}<input type="hidden" name="subject" value="${escapeHtml(o.subject)}"><button type="submit" class="danger" aria-label="Remove ${escapeHtml(o.subject)}">Remove</button></form>`
          : '',
      ]);
      const roles = OPERATOR_ROLES.map((r) => `<option value="${r}">${r}</option>`).join('');
      const form =
        admin && sso
          ? `<h2>Grant access</h2><form method="post" action="/console/operators" class="filters">${csrfField(session)}
<div><label for="op-subject">Identity (${escapeHtml(sso.userClaim)} at the identity provider)</label><input type="text" id="op-subject" name="subject" required></div>
<div><label for="op-role">Role</label><select id="op-role" name="role">${roles}</select></div>
<button type="submit">Grant</button></form>`
          : '';
      return consoleHtml(
        200,
        consolePage(
          'Operators',
          `<p>${sso ? `Single sign-on at <code>${escapeHtml(sso.issuer)}</code>.` : 'Single sign-on is not configured on this instance (GATEHOUSE_CONSOLE_OIDC_*).'} Viewers read; operators also revoke accounts, force refreshes and decide approvals; admins also change policies and operators.</p>
${table('Operators of this project', ['Identity', 'Role', 'Issuer', 'Since', ''], rows, 'No single sign-on operator yet.')}${form}`,
          session,
          '/console/operators',
          query.notice ? NOTICES[query.notice] : undefined,
        ),
      );
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/operators',
    operationId: 'consoleGrantOperator',
    summary: 'Grants an identity a console role',
    role: 'admin',
    body: z.object({ csrf: z.string().max(100), subject: subjectSchema, role: z.enum(OPERATOR_ROLES) }),
    handler: async ({ session, body }) => {
      const sso = rt.config.consoleOidc;
      if (!sso) return seeOther('/console/operators?notice=no_sso');
      await rt.consoleOperators.grant(session.projectId, sso.issuer, body.subject, body.role);
      return seeOther('/console/operators?notice=granted');
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/operators/remove',
    operationId: 'consoleRemoveOperator',
    summary: "Removes an identity's console role",
    role: 'admin',
    body: z.object({ csrf: z.string().max(100), subject: subjectSchema }),
    handler: async ({ session, body }) => {
      const sso = rt.config.consoleOidc;
      if (!sso) return seeOther('/console/operators?notice=no_sso');
      await rt.consoleOperators.remove(session.projectId, sso.issuer, body.subject);
      return seeOther('/console/operators?notice=removed');
    },
  }),
];
