import { z } from 'zod';
import type { Approval } from '../../approvals/approvals.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { defineRoute, json, unwrap } from '../route.js';

const idParams = z.strictObject({ id: z.string().min(1).max(64) });

export const presentApproval = (a: Approval) => ({ ...a });

/** Approvals through the API: a project admin (any project key) lists, reads, approves and denies. */
export const approvalRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/approvals',
    auth: 'project:runtime',
    query: z.strictObject({
      ...pageQuerySchema,
      userId: z.string().min(1).max(256).optional(),
      status: z.enum(['pending', 'approved', 'denied', 'executing', 'executed']).optional(),
    }),
    handler: async ({ principal, query }) => {
      const page = await rt.approvals.list(principal.projectId, query, query);
      return json({ items: page.items.map(presentApproval), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/approvals/:id',
    auth: 'project:runtime',
    params: idParams,
    handler: async ({ principal, params }) =>
      json(presentApproval(unwrap(await rt.approvals.get(principal.projectId, params.id)))),
  }),
  ...(['approve', 'deny'] as const).map((decision) =>
    defineRoute({
      method: 'POST',
      url: `/v1/approvals/:id/${decision}`,
      auth: 'project:admin',
      params: idParams,
      // Who the admin is, in the app's terms (an email, a staff id): recorded in the audit trail.
      body: z.strictObject({ approver: z.string().min(1).max(256).optional() }).default({}),
      handler: async ({ principal, params, body }) => {
        const by = {
          kind: 'api_key' as const,
          apiKeyId: principal.apiKeyId,
          approver: body.approver ?? null,
        };
        return json(
          presentApproval(unwrap(await rt.approvals.decide(principal.projectId, params.id, decision, by))),
        );
      },
    }),
  ),
];
