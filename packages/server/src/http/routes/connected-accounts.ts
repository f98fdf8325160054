import { z } from 'zod';
import type { ConnectedAccount } from '../../accounts/store.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';
import { userIdSchema } from './connect-links.js';

export const connectedAccountSchema = named(
  'ConnectedAccount',
  z.strictObject({
    id: z.string(),
    userId: z.string(),
    authConfigId: z.string(),
    providerId: z.string(),
    label: z.string().nullable(),
    status: z.enum(['INITIATED', 'ACTIVE', 'EXPIRED', 'REVOKED', 'FAILED']),
    statusReason: z.string().nullable(),
    scopes: z.array(z.string()),
    accessTokenExpiresAt: timestamp.nullable(),
    upstreamAccount: z.strictObject({ id: z.string(), displayName: z.string().nullable() }).nullable(),
    lastRefreshedAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  "An end user's connected account: status, scopes and expiry, never a token.",
);

/** Status, scopes, expiry, label: never a token. */
export const presentAccount = (a: ConnectedAccount) => ({
  id: a.id,
  userId: a.userId,
  authConfigId: a.authConfigId,
  providerId: a.providerId,
  label: a.label,
  status: a.status,
  statusReason: a.statusReason,
  scopes: a.scopes,
  accessTokenExpiresAt: a.accessTokenExpiresAt,
  upstreamAccount: a.subject ? { id: a.subject, displayName: a.displayName } : null,
  lastRefreshedAt: a.lastRefreshedAt,
  lastUsedAt: a.lastUsedAt,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

const idParams = z.strictObject({ id: z.string().min(1).max(64) });

export const connectedAccountRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/connected-accounts',
    auth: 'project:runtime',
    operationId: 'listConnectedAccounts',
    query: z.strictObject({
      ...pageQuerySchema,
      userId: userIdSchema.optional(),
      authConfigId: z.string().max(64).optional(),
      providerId: z.string().max(64).optional(),
      status: z.enum(['INITIATED', 'ACTIVE', 'EXPIRED', 'REVOKED', 'FAILED']).optional(),
    }),
    responses: { 200: page(connectedAccountSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.accountStore.list(principal.projectId, query, query);
      return json({ items: page.items.map(presentAccount), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/connected-accounts/:id',
    auth: 'project:runtime',
    operationId: 'getConnectedAccount',
    params: idParams,
    responses: { 200: connectedAccountSchema },
    handler: async ({ principal, params }) =>
      json(presentAccount(unwrap(await rt.accounts.get(principal.projectId, params.id)))),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/connected-accounts/:id',
    auth: 'project:admin',
    operationId: 'deleteConnectedAccount',
    params: idParams,
    responses: {
      200: z.strictObject({ id: z.string(), deleted: z.literal(true), revokedAtProvider: z.boolean() }),
    },
    handler: async ({ principal, params }) =>
      json({
        id: params.id,
        deleted: true,
        ...unwrap(await rt.accounts.delete(principal.projectId, params.id)),
      }),
  }),
];
