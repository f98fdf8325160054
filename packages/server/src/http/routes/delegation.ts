import { z } from 'zod';
import { AGENT_ID, AGENT_ID_RULE } from '../../agents/agent-ids.js';
import type { AgentPublicKey } from '../../delegation/agent-keys.js';
import { delegationSettingsSchema } from '../../delegation/settings.js';
import { isProjectId } from '../../delegation/urls.js';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';

const settingsView = named(
  'DelegationSettings',
  z.strictObject({
    tokenTtlSeconds: z.number().int(),
    maxDepth: z.number().int(),
    trustedIssuers: z.array(
      z.strictObject({
        issuer: z.string(),
        jwksUri: z.string(),
        audience: z.string(),
        userIdClaim: z.string(),
        scopes: z.array(z.string()).optional(),
      }),
    ),
    issuer: z.string(),
    tokenEndpoint: z.string(),
    jwksUri: z.string(),
    apiAudience: z.string(),
  }),
);
const jwkSet = named('JwkSet', z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())) }));
const publicKeyView = named(
  'AgentPublicKey',
  z.strictObject({
    id: z.string(),
    agentId: z.string(),
    jwk: z.record(z.string(), z.unknown()).nullable(),
    jwksUri: z.string().nullable(),
    createdAt: timestamp,
    revokedAt: timestamp.nullable(),
  }),
);

const projectParams = z.strictObject({
  projectId: z.string().refine(isProjectId, 'not a project id'),
});
const agentParams = z.strictObject({ id: z.string().regex(AGENT_ID, `must be ${AGENT_ID_RULE}`) });

const presentPublicKey = (k: AgentPublicKey) => ({
  id: k.id,
  agentId: k.agentId,
  jwk: k.jwk,
  jwksUri: k.jwksUri,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
});

/**
 * Delegation settings (admin: trusting an identity provider decides who the project's users are),
 * agents' public keys for JWT assertions (admin), and the public JWK Set of exchanged tokens.
 * The token endpoint itself is a form-encoded OAuth endpoint (delegation-token.ts).
 */
export const delegationRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/settings/delegation',
    auth: 'project:admin',
    operationId: 'getDelegationSettings',
    responses: { 200: settingsView },
    handler: async ({ principal }) =>
      json({
        ...(await rt.delegation.settings.get(principal.projectId)),
        ...rt.delegation.urls(principal.projectId),
      }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/settings/delegation',
    auth: 'project:admin',
    body: delegationSettingsSchema,
    operationId: 'putDelegationSettings',
    responses: { 200: settingsView },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        for (const [i, t] of body.trustedIssuers.entries()) {
          const refused = rt.delegation.jwksRefusal(t.jwksUri);
          if (refused)
            throw new GatehouseError('address_not_allowed', `body.trustedIssuers.${i}.jwksUri: ${refused}`);
        }
        const stored = await rt.delegation.settings.put(principal.projectId, body);
        await rt.audit.admin(principal, 'admin.delegation_settings.updated', {
          trustedIssuers: stored.trustedIssuers.map((t) => t.issuer),
          tokenTtlSeconds: stored.tokenTtlSeconds,
          maxDepth: stored.maxDepth,
        });
        return json({ ...stored, ...rt.delegation.urls(principal.projectId) });
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/settings/delegation/rotate-key',
    auth: 'project:admin',
    operationId: 'rotateDelegationKey',
    responses: { 200: jwkSet },
    handler: async ({ principal }) =>
      rt.db.atomically(async () => {
        await rt.delegation.signingKeys.rotate(principal.projectId);
        await rt.audit.admin(principal, 'admin.delegation_key.rotated', {});
        return json(await rt.delegation.jwks(principal.projectId));
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/projects/:projectId/jwks.json',
    auth: 'none',
    params: projectParams,
    operationId: 'getDelegationJwks',
    responses: { 200: jwkSet },
    handler: async ({ params }) => {
      if (!(await rt.projects.get(params.projectId)))
        throw new GatehouseError('not_found', `project ${params.projectId} not found`);
      return {
        status: 200,
        body: await rt.delegation.jwks(params.projectId),
        headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/agents/:id/public-keys',
    auth: 'project:admin',
    params: agentParams,
    operationId: 'listAgentPublicKeys',
    responses: { 200: page(publicKeyView) },
    handler: async ({ principal, params }) => {
      unwrap(await rt.agents.get(principal.projectId, params.id));
      const keys = await rt.delegation.agentKeys.list(principal.projectId, params.id);
      return json({ items: keys.map(presentPublicKey), nextCursor: null });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/agents/:id/public-keys',
    auth: 'project:admin',
    params: agentParams,
    operationId: 'registerAgentPublicKey',
    responses: { 201: publicKeyView },
    body: z.union([
      z.strictObject({ jwk: z.record(z.string().max(20), z.string().max(2000)) }),
      z.strictObject({ jwksUri: z.string().url().max(2000) }),
    ]),
    handler: async ({ principal, params, body }) =>
      rt.db.atomically(async () => {
        const key = unwrap(await rt.delegation.agentKeys.register(principal.projectId, params.id, body));
        await rt.audit.admin(principal, 'admin.agent_public_key.registered', {
          agentId: params.id,
          keyId: key.id,
        });
        return json(presentPublicKey(key), 201);
      }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/agents/:id/public-keys/:keyId',
    auth: 'project:admin',
    params: z.strictObject({ id: agentParams.shape.id, keyId: z.string().min(1).max(64) }),
    operationId: 'revokeAgentPublicKey',
    responses: { 200: publicKeyView },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        const key = unwrap(
          await rt.delegation.agentKeys.revoke(principal.projectId, params.id, params.keyId),
        );
        await rt.audit.admin(principal, 'admin.agent_public_key.revoked', {
          agentId: params.id,
          keyId: key.id,
        });
        return json(presentPublicKey(key));
      }),
  }),
];
