import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { INVALID_CURSOR } from '../../store/pagination.js';
import { defineRoute, json, unwrap } from '../route.js';
import { spanOf } from '../trace.js';
import { agentIdOf } from './agent.js';
import { groupIdSchema, userIdSchema } from './connect-links.js';
import { delegatedCall, rejectionError } from './delegated.js';
import { userAttributesSchema } from './policies.js';

const slugParams = z.strictObject({ slug: z.string().min(3).max(200) });

export const toolRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/tools',
    auth: 'project:runtime',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      // Tool cursors wrap a slug, not an id; the discovery service tells a foreign one apart.
      cursor: z
        .string()
        .refine((c) => c.length > 0 && c.length <= 400, INVALID_CURSOR)
        .optional(),
      userId: userIdSchema.optional(),
      toolkits: z.string().max(500).optional(),
      search: z.string().max(200).optional(),
    }),
    handler: async ({ principal, query }) => {
      const toolkits = query.toolkits
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const page = await rt.tools.page(
        principal.projectId,
        { userId: query.userId, toolkits, search: query.search },
        { limit: query.limit, cursor: query.cursor },
      );
      return json(unwrap(page));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/tools/:slug',
    auth: 'project:runtime',
    params: slugParams,
    query: z.strictObject({ userId: userIdSchema.optional() }),
    handler: async ({ principal, params, query }) => {
      const tool = await rt.tools.get(principal.projectId, params.slug, query.userId);
      if (!tool) throw new GatehouseError('tool_not_found', `no tool named ${params.slug}`);
      return json(tool);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/tools/:slug/execute',
    auth: 'project:runtime|delegated',
    params: slugParams,
    body: z.strictObject({
      userId: userIdSchema,
      groupId: groupIdSchema.optional(),
      connectedAccountId: z.string().min(1).max(64).optional(),
      arguments: z.record(z.string(), z.unknown()).default({}),
      idempotencyKey: z.string().min(1).max(255).optional(),
      userAttributes: userAttributesSchema.optional(),
      approvalId: z.string().min(1).max(64).optional(),
      adoptApprovedApproval: z.boolean().optional(),
    }),
    handler: async ({ principal, params, body, request }) => {
      const outcome = await rt.broker.execute({
        projectId: principal.projectId,
        userId: body.userId,
        groupId: body.groupId,
        agentId: agentIdOf(request, principal),
        delegation: delegatedCall(principal, body.userId),
        traceId: request.trace.traceId,
        ...spanOf(request.trace),
        slug: params.slug,
        arguments: body.arguments,
        connectedAccountId: body.connectedAccountId,
        idempotencyKey: body.idempotencyKey,
        userAttributes: body.userAttributes,
        approvalId: body.approvalId,
        adoptApprovedApproval: body.adoptApprovedApproval,
      });
      if (outcome.kind === 'result') return json(outcome.result);
      throw rejectionError(outcome.error, outcome.executionId);
    },
  }),
];
