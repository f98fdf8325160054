import { z } from 'zod';
import { proxySettingsSchema } from '../../broker/proxy-settings.js';
import { PROXY_METHODS } from '../../broker/types.js';
import type { Runtime } from '../../runtime.js';
import { callLogOf } from '../call-log.js';
import { named, timestamp } from '../responses.js';
import { defineRoute, json } from '../route.js';
import { spanOf } from '../trace.js';
import { agentIdOf } from './agent.js';
import { delegatedCall, rejectionError } from './delegated.js';
import { userAttributesSchema } from './policies.js';

const proxyResponseSchema = named(
  'ProxyResponse',
  z.strictObject({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown(),
    bodyEncoding: z.enum(['json', 'text', 'base64', 'none']),
    executionId: z.string(),
  }),
  "The upstream's answer, credentials scrubbed.",
);
const proxySettingsResponse = named(
  'ProxySettings',
  proxySettingsSchema.extend({ version: z.number().int(), updatedAt: timestamp.nullable() }),
);

// RFC 9110 §5.1: a field name is a token; §5.5: a field value is visible ASCII, SP, HTAB and
// obs-text, never CR, LF or NUL (which would split or truncate the upstream request).
const headerName = z
  .string()
  .max(200)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'not a valid header name (RFC 9110 token)');
const headerValue = z
  .string()
  .max(8000)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'not a valid header value (no CR, LF or control characters)');

export const proxyRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/proxy',
    auth: 'project:runtime|delegated',
    operationId: 'proxyRequest',
    body: z.strictObject({
      connectedAccountId: z.string().min(1).max(64),
      method: z.enum(PROXY_METHODS),
      path: z.string().min(1).max(4000),
      query: z
        .record(z.string().max(200), z.union([z.string().max(4000), z.array(z.string().max(4000)).max(50)]))
        .optional(),
      headers: z.record(headerName, headerValue).optional(),
      body: z.unknown().optional(),
      idempotencyKey: z.string().min(1).max(255).optional(),
      userAttributes: userAttributesSchema.optional(),
      approvalId: z.string().min(1).max(64).optional(),
    }),
    responses: { 200: proxyResponseSchema },
    handler: async ({ principal, body, request }) => {
      const outcome = await rt.broker.proxy({
        projectId: principal.projectId,
        agentId: agentIdOf(request, principal),
        delegation: delegatedCall(principal),
        traceId: request.trace.traceId,
        ...spanOf(request.trace),
        ...body,
        callLog: callLogOf(request),
      });
      if (outcome.kind === 'result') return json(outcome.result);
      throw rejectionError(outcome.error, outcome.executionId);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/settings/proxy',
    auth: 'project:admin',
    operationId: 'getProxySettings',
    responses: { 200: proxySettingsResponse },
    handler: async ({ principal }) => json(await rt.proxySettings.get(principal.projectId)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/settings/proxy',
    auth: 'project:admin',
    operationId: 'putProxySettings',
    body: proxySettingsSchema,
    responses: { 200: proxySettingsResponse },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const stored = await rt.proxySettings.put(principal.projectId, body);
        await rt.audit.admin(principal, 'admin.proxy_settings.updated', { fields: Object.keys(body).sort() });
        return json(stored);
      }),
  }),
];
