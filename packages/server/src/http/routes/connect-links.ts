import { z } from 'zod';
import type { ConnectLink } from '../../connect/link-store.js';
import type { Runtime } from '../../runtime.js';
import { named, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';

export const connectLinkSchema = named(
  'ConnectLink',
  z.strictObject({
    id: z.string(),
    status: z.enum(['PENDING', 'OPENED', 'VERIFYING', 'COMPLETED', 'FAILED', 'EXPIRED']),
    userId: z.string(),
    groupId: z.string().nullable(),
    authConfigId: z.string(),
    scopes: z.array(z.string()),
    label: z.string().nullable(),
    callbackUrl: z.string().nullable(),
    connectedAccountId: z.string().nullable(),
    failure: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
    expiresAt: timestamp,
    completedAt: timestamp.nullable(),
    createdAt: timestamp,
  }),
  'A Connect Link: the hosted page an end user opens to connect an account.',
);

export const presentLink = (l: ConnectLink) => ({
  id: l.id,
  status: l.status,
  userId: l.userId,
  groupId: l.groupId,
  authConfigId: l.authConfigId,
  scopes: l.scopes,
  label: l.label,
  callbackUrl: l.callbackUrl,
  connectedAccountId: l.connectedAccountId,
  failure: l.failure,
  expiresAt: l.expiresAt,
  completedAt: l.completedAt,
  createdAt: l.createdAt,
});

export const userIdSchema = z.string().min(1).max(256);
/** A team or workspace id from the app: the owner of an organisation-owned connection. */
export const groupIdSchema = z.string().min(1).max(256);

export const connectLinkRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/connect/links',
    auth: 'project:runtime',
    operationId: 'createConnectLink',
    body: z.strictObject({
      userId: userIdSchema,
      groupId: groupIdSchema.optional(),
      authConfigId: z.string().min(1).max(64),
      scopes: z.array(z.string().min(1).max(200).regex(/^\S+$/)).max(100).optional(),
      label: z.string().trim().min(1).max(64).optional(),
      callbackUrl: z.string().max(2000).optional(),
      connectedAccountId: z.string().min(1).max(64).optional(),
      tools: z.array(z.string().min(3).max(200)).min(1).max(100).optional(),
    }),
    responses: { 201: connectLinkSchema.extend({ redirectUrl: z.string() }) },
    handler: async ({ principal, body }) => {
      const { link, redirectUrl } = unwrap(await rt.connectLinks.create(principal.projectId, body));
      return json({ ...presentLink(link), redirectUrl }, 201);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/connect/links/:id',
    auth: 'project:runtime',
    operationId: 'getConnectLink',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    responses: { 200: connectLinkSchema },
    handler: async ({ principal, params }) =>
      json(presentLink(unwrap(await rt.connectLinks.get(principal.projectId, params.id)))),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/connect/links/:id/confirm',
    auth: 'project:runtime',
    operationId: 'confirmConnectLink',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    body: z.strictObject({ userId: userIdSchema, assertion: z.string().min(1).max(4000) }),
    responses: { 200: connectLinkSchema },
    handler: async ({ principal, params, body }) => {
      const { link } = unwrap(
        await rt.linkVerification.confirm(principal.projectId, params.id, body.userId, body.assertion),
      );
      return json(presentLink(link));
    },
  }),
];
