import { z } from 'zod';
import type { ApiKey } from '../../projects/api-keys.js';
import { KEY_ROLES } from '../../projects/key-roles.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { defineRoute, json, unwrap } from '../route.js';

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
    // Only an admin key mints keys (a runtime key minting an admin key would be an escalation). The
    // role defaults to admin so that scripts written before roles (key rotation) keep working; an
    // agent's key should be asked for with `role: 'runtime'`.
    body: z
      .strictObject({
        name: z.string().trim().min(1).max(100).default('unnamed'),
        role: z.enum(KEY_ROLES).default('admin'),
      })
      .default({ name: 'unnamed', role: 'admin' }),
    handler: async ({ principal, body }) => {
      const { apiKey, secret } = await rt.apiKeys.create(principal.projectId, body.name, body.role);
      await rt.audit.admin(principal, 'admin.api_key.created', {
        keyId: apiKey.id,
        name: apiKey.name,
        role: apiKey.role,
      });
      // The only time the key is ever shown.
      return json({ ...presentApiKey(apiKey), key: secret }, 201);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/api-keys',
    auth: 'project:admin',
    query: z.strictObject(pageQuerySchema),
    handler: async ({ principal, query }) => {
      const page = await rt.apiKeys.list(principal.projectId, query);
      return json({ items: page.items.map(presentApiKey), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/api-keys/:id',
    auth: 'project:admin',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    handler: async ({ principal, params }) => {
      const revoked = unwrap(await rt.apiKeys.revoke(principal.projectId, params.id));
      await rt.audit.admin(principal, 'admin.api_key.revoked', { keyId: revoked.id, name: revoked.name });
      return json(presentApiKey(revoked));
    },
  }),
];
