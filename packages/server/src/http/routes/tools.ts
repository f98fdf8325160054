import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { INVALID_CURSOR } from '../../store/pagination.js';
import { callLogOf } from '../call-log.js';
import { failureSchema, jsonObject, named, page } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';
import { spanOf } from '../trace.js';
import { agentIdOf } from './agent.js';
import { groupIdSchema, userIdSchema } from './connect-links.js';
import { delegatedCall, rejectionError } from './delegated.js';
import { userAttributesSchema } from './policies.js';

const toolSchema = named(
  'Tool',
  z.strictObject({
    slug: z.string().meta({ examples: ['github.list_issues'] }),
    name: z.string(),
    description: z.string(),
    toolkit: z.string(),
    provider: z.string(),
    risk: z.string(),
    scopes: z.array(z.string()),
    inputSchema: jsonObject.meta({ description: "JSON Schema of the tool's arguments" }),
    connection: z
      .strictObject({
        status: z.enum(['connected', 'missing_scopes', 'inactive', 'not_connected']),
        connectedAccountIds: z.array(z.string()),
        missingScopes: z.array(z.string()),
      })
      .optional()
      .meta({ description: 'With ?userId=: whether that user has a usable connection' }),
  }),
);

const executionResultSchema = named(
  'ExecutionResult',
  z.strictObject({
    successful: z.boolean(),
    data: z.unknown(),
    nextCursor: z.string().nullable(),
    error: failureSchema.nullable(),
    executionId: z.string(),
  }),
  'A tool call as the agent sees it: governance refusals (authorization_required, approval_required, policy_denied, …) are results with `successful: false`, not HTTP errors.',
);

const slugParams = z.strictObject({ slug: z.string().min(3).max(200) });

export const toolRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/tools',
    auth: 'project:runtime',
    operationId: 'listTools',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      // Tool cursors wrap a slug, not an id; the discovery service tells a foreign one apart.
      cursor: z
        .string()
        .refine((c) => c.length > 0 && c.length <= 400, INVALID_CURSOR)
        .optional(),
      userId: userIdSchema.optional(),
      toolkits: z.string().max(500).optional(),
      provider: z
        .string()
        .max(500)
        .regex(/^[a-z0-9_,\s-]+$/, 'provider or toolkit ids, comma-separated')
        .optional()
        .meta({
          description: 'Only tools of these providers, by provider id or toolkit id: jira, atlassian, gmail',
        }),
      search: z.string().max(200).optional(),
    }),
    responses: { 200: page(toolSchema) },
    handler: async ({ principal, query }) => {
      const toolkits = query.toolkits
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const providers = query.provider
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const page = await rt.tools.page(
        principal.projectId,
        { userId: query.userId, toolkits, providers, search: query.search },
        { limit: query.limit, cursor: query.cursor },
      );
      return json(unwrap(page));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/tools/:slug',
    auth: 'project:runtime',
    operationId: 'getTool',
    params: slugParams,
    query: z.strictObject({ userId: userIdSchema.optional() }),
    responses: { 200: toolSchema },
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
    operationId: 'executeTool',
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
    responses: { 200: executionResultSchema },
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
        callLog: callLogOf(request),
      });
      if (outcome.kind === 'result') return json(outcome.result);
      throw rejectionError(outcome.error, outcome.executionId);
    },
  }),
];
