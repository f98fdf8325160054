import { z } from 'zod';
import type { Approval } from '../../approvals/approvals.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { defineRoute, json, unwrap } from '../route.js';

const idParams = z.strictObject({ id: z.string().min(1).max(64) });

export const presentApproval = (a: Approval) => ({ ...a });

/**
 * Approvals through the API: runtime keys list and read; an admin key approves, denies, or confirms
 * the decision a user made on the hosted page (with the app's user verifier on).
 */
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
  defineRoute({
    method: 'POST',
    url: '/v1/approvals/:id/confirm',
    // The app's backend: a runtime key is what the agent holds, and the agent must not confirm.
    auth: 'project:admin',
    params: idParams,
    body: z.strictObject({
      userId: z.string().min(1).max(256),
      assertion: z.string().min(1).max(4096),
    }),
    handler: async ({ principal, params, body }) =>
      json(
        presentApproval(
          unwrap(
            await rt.approvalDecisions.confirm(
              principal.projectId,
              params.id,
              body.userId,
              body.assertion,
              principal.apiKeyId,
            ),
          ),
        ),
      ),
  }),
];
