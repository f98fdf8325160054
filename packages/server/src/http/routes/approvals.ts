import { z } from 'zod';
import type { Approval } from '../../approvals/approvals.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { jsonObject, named, page, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';

export const decidedBySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('approval_link'), userId: z.string() }),
  z.strictObject({ kind: z.literal('signed_in_user'), userId: z.string(), realm: z.string() }),
  z.strictObject({ kind: z.literal('verified_user'), userId: z.string(), apiKeyId: z.string() }),
  z.strictObject({ kind: z.literal('api_key'), apiKeyId: z.string(), approver: z.string().nullable() }),
]);

const approvalSchema = named(
  'Approval',
  z.strictObject({
    id: z.string(),
    status: z.enum(['pending', 'approved', 'denied', 'executing', 'executed', 'expired']),
    userId: z.string(),
    agentId: z.string().nullable(),
    tool: z.string(),
    connectedAccountId: z.string(),
    arguments: jsonObject,
    policies: z.array(z.string()),
    requiredLogin: z.string().nullable(),
    decidedBy: decidedBySchema.nullable(),
    decidedAt: timestamp.nullable(),
    executionId: z.string().nullable(),
    executedAt: timestamp.nullable(),
    expiresAt: timestamp,
    createdAt: timestamp,
  }),
  'A governed call waiting for (or past) a human decision.',
);

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
    operationId: 'listApprovals',
    query: z.strictObject({
      ...pageQuerySchema,
      userId: z.string().min(1).max(256).optional(),
      status: z.enum(['pending', 'approved', 'denied', 'executing', 'executed']).optional(),
    }),
    responses: { 200: page(approvalSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.approvals.list(principal.projectId, query, query);
      return json({ items: page.items.map(presentApproval), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/approvals/:id',
    auth: 'project:runtime',
    operationId: 'getApproval',
    params: idParams,
    responses: { 200: approvalSchema },
    handler: async ({ principal, params }) =>
      json(presentApproval(unwrap(await rt.approvals.get(principal.projectId, params.id)))),
  }),
  ...(['approve', 'deny'] as const).map((decision) =>
    defineRoute({
      method: 'POST',
      url: `/v1/approvals/:id/${decision}`,
      auth: 'project:admin',
      operationId: `${decision}Approval`,
      params: idParams,
      // Who the admin is, in the app's terms (an email, a staff id): recorded in the audit trail.
      body: z.strictObject({ approver: z.string().min(1).max(256).optional() }).default({}),
      responses: { 200: approvalSchema },
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
    operationId: 'confirmApproval',
    responses: { 200: approvalSchema },
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
