import { z } from 'zod';
import type { ConnectedAccount } from '../../accounts/store.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';
import { groupIdSchema, userIdSchema } from './connect-links.js';

export const connectedAccountSchema = named(
  'ConnectedAccount',
  z.strictObject({
    id: z.string(),
    userId: z.string(),
    groupId: z.string().nullable(),
    owner: z.enum(['user', 'group']),
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
  groupId: a.groupId,
  owner: a.groupId === null ? 'user' : 'group',
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
const secret = z.string().min(1).max(4000);

/** One shape per kind; `type` must match the provider's authType (oauth2: an imported token). */
const credentialsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('api_key'), apiKey: secret }),
  z.strictObject({ type: z.literal('bearer'), token: secret }),
  z.strictObject({
    type: z.literal('basic'),
    username: z.string().min(1).max(500),
    password: z.string().max(4000).optional(),
  }),
  z.strictObject({
    type: z.literal('oauth2'),
    accessToken: secret,
    refreshToken: secret.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    scopes: z.array(z.string().min(1).max(200).regex(/^\S+$/)).max(200).optional(),
  }),
]);

export const connectedAccountRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/connected-accounts',
    auth: 'project:runtime',
    body: z.strictObject({
      userId: userIdSchema,
      groupId: groupIdSchema.optional(),
      authConfigId: z.string().min(1).max(64),
      label: z.string().trim().min(1).max(64).optional(),
      credentials: credentialsSchema,
    }),
    operationId: 'connectWithCredential',
    responses: { 201: connectedAccountSchema },
    handler: async ({ principal, body }) => {
      const c = body.credentials;
      const input =
        c.type === 'oauth2'
          ? { ...c, expiresAt: c.expiresAt === undefined ? undefined : new Date(c.expiresAt) }
          : c;
      const account = unwrap(
        await rt.credentialConnections.connect(
          {
            projectId: principal.projectId,
            authConfigId: body.authConfigId,
            userId: body.userId,
            groupId: body.groupId ?? null,
            label: body.label ?? null,
            connectedAccountId: null,
            scopes: [],
          },
          input,
          // In the transaction that stores the account; the kind of credential, never its value.
          (tx, account) =>
            rt.audit.admin(
              principal,
              'admin.connected_account.created',
              {
                connectedAccountId: account.id,
                providerId: account.providerId,
                credentialType: c.type,
                userId: account.userId,
                groupId: account.groupId,
              },
              tx,
            ),
        ),
      );
      return json(presentAccount(account), 201);
    },
  }),
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
      groupId: groupIdSchema.optional(),
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
    handler: async ({ principal, params }) => {
      const deleted = unwrap(
        await rt.accounts.delete(principal.projectId, params.id, (tx, { revokedAtProvider }) =>
          rt.audit.admin(
            principal,
            'admin.connected_account.deleted',
            { connectedAccountId: params.id, revokedAtProvider },
            tx,
          ),
        ),
      );
      return json({ id: params.id, deleted: true, ...deleted });
    },
  }),
];
