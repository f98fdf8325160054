import { z } from 'zod';
import type { ApiKey } from '../../projects/api-keys.js';
import { KEY_ROLES } from '../../projects/key-roles.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';

export const apiKeySchema = named(
  'ApiKey',
  z.strictObject({
    id: z.string().meta({ examples: ['key_01jb2x7k3m9q'] }),
    name: z.string(),
    role: z.enum(KEY_ROLES),
    agentId: z.string().nullable(),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it' }),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  }),
  'A project API key, never its secret.',
);

/** A key as created: the only answer that carries the secret. */
export const newApiKeySchema = named(
  'NewApiKey',
  apiKeySchema.extend({ key: z.string().meta({ description: 'The secret: shown once, store it now' }) }),
);

export const presentApiKey = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  agentId: k.agentId,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

export const apiKeyRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/api-keys',
    auth: 'project:admin',
    operationId: 'createApiKey',
    // Only an admin key mints keys (a runtime key minting an admin key would be an escalation). The
    // role defaults to admin so that scripts written before roles (key rotation) keep working; an
    // agent's key should be asked for with `role: 'runtime'`.
    body: z
      .strictObject({
        name: z.string().trim().min(1).max(100).default('unnamed'),
        role: z.enum(KEY_ROLES).default('admin'),
      })
      .default({ name: 'unnamed', role: 'admin' }),
    responses: { 201: newApiKeySchema },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const { apiKey, secret } = await rt.apiKeys.create(principal.projectId, body.name, body.role);
        await rt.audit.admin(principal, 'admin.api_key.created', {
          keyId: apiKey.id,
          name: apiKey.name,
          role: apiKey.role,
        });
        // The only time the key is ever shown.
        return json({ ...presentApiKey(apiKey), key: secret }, 201);
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/api-keys',
    auth: 'project:admin',
    operationId: 'listApiKeys',
    query: z.strictObject(pageQuerySchema),
    responses: { 200: page(apiKeySchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.apiKeys.list(principal.projectId, query);
      return json({ items: page.items.map(presentApiKey), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/api-keys/:id',
    auth: 'project:admin',
    operationId: 'revokeApiKey',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    responses: { 200: apiKeySchema },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        const revoked = unwrap(await rt.apiKeys.revoke(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.api_key.revoked', { keyId: revoked.id, name: revoked.name });
        return json(presentApiKey(revoked));
      }),
  }),
];
