import { z } from 'zod';
import { AGENT_ID, AGENT_ID_RULE } from '../../agents/agent-ids.js';
import type { Agent } from '../../agents/agents.js';
import type { ApiKey } from '../../projects/api-keys.js';
import type { Runtime } from '../../runtime.js';
import { INVALID_CURSOR } from '../../store/pagination.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';
import { apiKeySchema, newApiKeySchema, presentApiKey } from './api-keys.js';

const agentSchema = named(
  'Agent',
  z.strictObject({
    id: z.string().meta({ examples: ['support-bot'] }),
    name: z.string().nullable(),
    description: z.string().nullable(),
    createdAt: timestamp,
    disabledAt: timestamp.nullable(),
  }),
  'A registered agent: its calls carry its id into policies, limits and audit.',
);

const presentAgent = (a: Agent) => ({
  id: a.id,
  name: a.name,
  description: a.description,
  createdAt: a.createdAt,
  disabledAt: a.disabledAt,
});

const presentKey = (k: ApiKey, secret: string) => ({ ...presentApiKey(k), key: secret });

const agentId = z.string().regex(AGENT_ID, `must be ${AGENT_ID_RULE}`);
const agentParams = z.strictObject({ id: agentId });

// Agent ids are the project's own names, so the list is in id order and the cursor wraps the last id.
const agentCursor = z
  .string()
  .max(200)
  .transform((c) => Buffer.from(c, 'base64url').toString('utf8'))
  .refine((id) => AGENT_ID.test(id), INVALID_CURSOR);

/**
 * Registered agents and their keys. Only an admin key registers, deletes or issues keys: an agent
 * (a runtime key) minting itself another identity would dodge the rules keyed on its own.
 */
export const agentRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/agents',
    auth: 'project:admin',
    operationId: 'registerAgent',
    body: z.strictObject({
      id: agentId,
      name: z.string().trim().min(1).max(100).optional(),
      description: z.string().trim().min(1).max(1000).optional(),
    }),
    responses: { 201: agentSchema.extend({ key: newApiKeySchema }) },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const { agent, apiKey, secret } = unwrap(await rt.agents.register(principal.projectId, body));
        await rt.audit.admin(principal, 'admin.agent.registered', { agentId: agent.id, keyId: apiKey.id });
        // The only time the key is ever shown.
        return json({ ...presentAgent(agent), key: presentKey(apiKey, secret) }, 201);
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/agents',
    auth: 'project:admin',
    operationId: 'listAgents',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: agentCursor.optional(),
    }),
    responses: { 200: page(agentSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.agents.list(principal.projectId, { limit: query.limit, after: query.cursor });
      return json({
        items: page.items.map(presentAgent),
        nextCursor: page.nextCursor === null ? null : Buffer.from(page.nextCursor).toString('base64url'),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/agents/:id',
    auth: 'project:admin',
    operationId: 'getAgent',
    params: agentParams,
    responses: { 200: agentSchema.extend({ keys: z.array(apiKeySchema) }) },
    handler: async ({ principal, params }) => {
      const agent = unwrap(await rt.agents.get(principal.projectId, params.id));
      const keys = await rt.agents.keys(principal.projectId, params.id);
      return json({ ...presentAgent(agent), keys: keys.map(presentApiKey) });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/agents/:id',
    auth: 'project:admin',
    operationId: 'deleteAgent',
    params: agentParams,
    responses: { 200: agentSchema },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        const agent = unwrap(await rt.agents.disable(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.agent.deleted', { agentId: agent.id });
        return json(presentAgent(agent));
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/agents/:id/keys',
    auth: 'project:admin',
    operationId: 'createAgentKey',
    params: agentParams,
    responses: { 201: newApiKeySchema },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        const { apiKey, secret } = unwrap(await rt.agents.issueKey(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.agent_key.created', { agentId: params.id, keyId: apiKey.id });
        return json(presentKey(apiKey, secret), 201);
      }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/agents/:id/keys/:keyId',
    auth: 'project:admin',
    operationId: 'revokeAgentKey',
    params: z.strictObject({ id: agentId, keyId: z.string().min(1).max(64) }),
    responses: { 200: apiKeySchema },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        const revoked = unwrap(await rt.agents.revokeKey(principal.projectId, params.id, params.keyId));
        await rt.audit.admin(principal, 'admin.agent_key.revoked', { agentId: params.id, keyId: revoked.id });
        return json(presentApiKey(revoked));
      }),
  }),
];
