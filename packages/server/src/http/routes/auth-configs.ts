import { z } from 'zod';
import type { AuthConfigView } from '../../auth-configs/sensitive-settings.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { empty, named, page, timestamp } from '../responses.js';
import { defineRoute, json, noContent, unwrap } from '../route.js';

const authConfigSchema = named(
  'AuthConfig',
  z.strictObject({
    id: z.string(),
    providerId: z.string(),
    name: z.string(),
    clientId: z.string().nullable(),
    hasClientSecret: z.boolean(),
    settings: z.record(z.string(), z.string()).meta({
      description: 'Setting values, except sensitive ones (the provider marks them): those are write-only',
    }),
    sensitiveSettings: z.array(z.string()).meta({
      description:
        'Sensitive settings that hold a value (never returned, to any key). A PATCH that omits one keeps it; "" clears it',
    }),
    defaultScopes: z.array(z.string()).nullable(),
    allowedScopes: z.array(z.string()).nullable(),
    branding: z.strictObject({
      displayName: z.string().optional(),
      logoUrl: z.string().optional(),
      accentColor: z.string().optional(),
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  "A project's OAuth app (or credentials) for one provider. Never the client secret.",
);

const scope = z.string().min(1).max(200).regex(/^\S+$/, 'scopes contain no whitespace');
const branding = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  logoUrl: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .optional(),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a #rrggbb colour')
    .optional(),
});
const fields = {
  name: z.string().trim().min(1).max(100).optional(),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(4000).optional(),
  settings: z.record(z.string().max(64), z.string().max(2000)).optional(),
  defaultScopes: z.array(scope).max(100).nullable().optional(),
  allowedScopes: z.array(scope).max(200).nullable().optional(),
  branding: branding.optional(),
};

/** Never includes the client secret or a sensitive setting, only whether they are set. */
export const presentAuthConfig = (c: AuthConfigView) => ({
  id: c.id,
  providerId: c.providerId,
  name: c.name,
  clientId: c.clientId === '' ? null : c.clientId,
  hasClientSecret: c.hasClientSecret,
  settings: c.settings,
  sensitiveSettings: c.sensitiveSettings,
  defaultScopes: c.defaultScopes,
  allowedScopes: c.allowedScopes,
  branding: c.branding,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

const idParams = z.strictObject({ id: z.string().min(1).max(64) });

export const authConfigRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/auth-configs',
    auth: 'project:admin',
    operationId: 'createAuthConfig',
    body: z.strictObject({
      providerId: z.string().min(1).max(64),
      ...fields,
      clientId: fields.clientId.optional(),
    }),
    responses: { 201: authConfigSchema },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const created = unwrap(await rt.authConfigs.create(principal.projectId, body));
        await rt.audit.admin(principal, 'admin.auth_config.created', {
          authConfigId: created.id,
          providerId: created.providerId,
          name: created.name,
        });
        return json(presentAuthConfig(created), 201);
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/auth-configs',
    auth: 'project:runtime',
    operationId: 'listAuthConfigs',
    query: z.strictObject({ ...pageQuerySchema, providerId: z.string().max(64).optional() }),
    responses: { 200: page(authConfigSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.authConfigs.list(principal.projectId, { providerId: query.providerId }, query);
      return json({ items: page.items.map(presentAuthConfig), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/auth-configs/:id',
    auth: 'project:runtime',
    operationId: 'getAuthConfig',
    params: idParams,
    responses: { 200: authConfigSchema },
    handler: async ({ principal, params }) =>
      json(presentAuthConfig(unwrap(await rt.authConfigs.get(principal.projectId, params.id)))),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/v1/auth-configs/:id',
    auth: 'project:admin',
    operationId: 'updateAuthConfig',
    params: idParams,
    body: z.strictObject({ ...fields, clientId: fields.clientId.optional() }),
    responses: { 200: authConfigSchema },
    handler: async ({ principal, params, body }) =>
      rt.db.atomically(async () => {
        const updated = unwrap(await rt.authConfigs.update(principal.projectId, params.id, body));
        // The names of the fields sent, never their values (a client secret is one of them).
        await rt.audit.admin(principal, 'admin.auth_config.updated', {
          authConfigId: updated.id,
          fields: Object.keys(body).sort(),
        });
        return json(presentAuthConfig(updated));
      }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/auth-configs/:id',
    auth: 'project:admin',
    operationId: 'deleteAuthConfig',
    params: idParams,
    responses: { 204: empty() },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        unwrap(await rt.authConfigs.delete(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.auth_config.deleted', { authConfigId: params.id });
        return noContent();
      }),
  }),
];
