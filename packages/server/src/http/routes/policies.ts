import { z } from 'zod';
import type { PolicyDocument } from '../../policy/compile.js';
import type { PolicyVersion } from '../../policy/policy-store.js';
import { USER_ATTRIBUTE_TYPES } from '../../policy/schema.js';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { INVALID_CURSOR } from '../../store/pagination.js';
import { named, page, text, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';
import { userIdSchema } from './connect-links.js';

const policyVersionSchema = named(
  'PolicyVersion',
  z.strictObject({
    version: z.number().int().meta({ description: '0 before any policies were written' }),
    sets: z.array(
      z.strictObject({ name: z.string(), mode: z.enum(['enforce', 'shadow']), policies: z.string() }),
    ),
    userAttributes: z.record(z.string(), z.string()),
    createdBy: z.string().nullable(),
    createdAt: timestamp.nullable(),
  }),
);

const policyIssueSchema = z.strictObject({
  set: z.string(),
  policy: z.string().nullable(),
  message: z.string(),
  help: z.string().nullable(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int(),
  endColumn: z.number().int(),
});

const effect = z.enum(['allow', 'deny', 'approval_required']);
const policyTestResultSchema = named(
  'PolicyTestResult',
  z.strictObject({
    version: z.number().int().nullable().meta({ description: 'null when a draft was tested' }),
    decision: effect,
    policies: z.array(z.string()),
    errors: z.array(z.string()),
    shadow: z.array(
      z.strictObject({ set: z.string(), effect, policies: z.array(z.string()), errors: z.array(z.string()) }),
    ),
    record: z.strictObject({ kept: z.boolean(), shadowDropped: z.array(z.string()) }).optional(),
  }),
);

const attributeName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'must be an identifier' });
const attributeType = z.string().regex(/^(String|Long|Boolean|decimal|datetime|Set<String>)\??$/, {
  message: `must be one of ${USER_ATTRIBUTE_TYPES.join(', ')}, optionally followed by ?`,
});
const attributeValue = z.union([
  z.string().max(1000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(1000)).max(100),
]);

/** End-user attributes sent with a call (`userAttributes` on execute), checked against the declarations. */
export const userAttributesSchema = z
  .record(attributeName, attributeValue)
  .refine((o) => Object.keys(o).length <= 50, { message: 'at most 50 attributes' });

const documentSchema = z.strictObject({
  sets: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'must be a short lowercase name' }),
        mode: z.enum(['enforce', 'shadow']).default('enforce'),
        policies: z.string().max(200_000),
      }),
    )
    .max(20),
  userAttributes: z
    .record(attributeName, attributeType)
    .refine((o) => Object.keys(o).length <= 50, { message: 'at most 50 attributes' })
    .default({}),
});

const present = (v: PolicyVersion) => ({
  version: v.version,
  sets: v.document.sets,
  userAttributes: v.document.userAttributes,
  createdBy: v.createdBy,
  createdAt: v.createdAt,
});

const EMPTY = { version: 0, sets: [], userAttributes: {}, createdBy: null, createdAt: null };

/** A hypothetical call; the console's test panel validates its form with the same schema. */
export const testRequestSchema = z.strictObject({
  userId: userIdSchema,
  userAttributes: userAttributesSchema.optional(),
  tool: z.string().min(3).max(200),
  arguments: z.record(z.string(), z.unknown()).optional(),
  account: z
    .strictObject({
      id: z.string().min(1).max(64).optional(),
      authConfigId: z.string().min(1).max(64).optional(),
      label: z.string().max(64).optional(),
      subject: z.string().max(256).optional(),
      scopes: z.array(z.string().max(200)).max(100).optional(),
      groupId: z.string().min(1).max(256).optional(),
      authType: z.enum(['oauth2', 'api_key', 'basic', 'bearer']).optional(),
    })
    .optional(),
  groupId: z.string().min(1).max(256).optional(),
  agentId: z.string().min(1).max(128).optional(),
  /** A hypothetical delegation chain (agent ids, the acting agent first), as an exchanged token carries it. */
  delegation: z.array(z.string().min(1).max(128)).min(1).max(8).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  record: z.record(z.string(), z.unknown()).optional(),
});

export const policyRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/policies',
    auth: 'project:admin',
    operationId: 'getPolicies',
    responses: { 200: policyVersionSchema },
    handler: async ({ principal }) => {
      const current = await rt.policies.current(principal.projectId);
      return json(current ? present(current) : EMPTY);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/policies',
    auth: 'project:admin',
    operationId: 'putPolicies',
    body: documentSchema,
    responses: { 200: policyVersionSchema.extend({ warnings: z.array(policyIssueSchema) }) },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const doc: PolicyDocument = body;
        const { version, warnings } = unwrap(
          await rt.policies.put(principal.projectId, doc, principal.apiKeyId),
        );
        await rt.audit.admin(principal, 'admin.policies.updated', {
          version: version.version,
          sets: version.document.sets.map((s) => ({ name: s.name, mode: s.mode })),
        });
        return json({ ...present(version), warnings });
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/policies/versions',
    auth: 'project:admin',
    operationId: 'listPolicyVersions',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z
        .string()
        .refine((c) => /^\d{1,9}$/.test(c), INVALID_CURSOR)
        .optional(),
    }),
    responses: { 200: page(policyVersionSchema) },
    handler: async ({ principal, query }) => {
      const rows = await rt.policies.versions(
        principal.projectId,
        query.limit + 1,
        query.cursor === undefined ? undefined : Number(query.cursor),
      );
      const items = rows.slice(0, query.limit).map(present);
      const next = rows.length > query.limit ? String(items.at(-1)!.version) : null;
      return json({ items, nextCursor: next });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/policies/versions/:version',
    auth: 'project:admin',
    operationId: 'getPolicyVersion',
    params: z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000_000) }),
    responses: { 200: policyVersionSchema },
    handler: async ({ principal, params }) => {
      const found = await rt.policies.version(principal.projectId, params.version);
      if (!found) throw new GatehouseError('not_found', `policy version ${params.version} not found`);
      return json(present(found));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/policies/schema',
    auth: 'project:admin',
    operationId: 'getPolicySchema',
    responses: {
      200: text('text/plain', 'The Cedar schema policies are validated against, in Cedar syntax'),
    },
    handler: async ({ principal }) => ({
      status: 200,
      body: await rt.policies.schemaText(principal.projectId),
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/policies/test',
    auth: 'project:admin',
    operationId: 'testPolicies',
    body: z.strictObject({ request: testRequestSchema, policies: documentSchema.optional() }),
    responses: { 200: policyTestResultSchema },
    handler: async ({ principal, body }) =>
      json(unwrap(await rt.policies.test(principal.projectId, body.request, body.policies))),
  }),
];
