import type { z } from 'zod';
import { isSchema, type ResponseSpec } from '../responses.js';
import type { AnyRoute, AuthKind } from '../route.js';
import { type JsonSchema, toJsonSchemas } from './json-schema.js';
import { TAGS, tagOf } from './tags.js';

/**
 * The OpenAPI 3.1 document of the server, generated from the route table: the same zod schemas
 * that validate requests (and, in tests, responses) describe them here. JSON Schema 2020-12 is
 * OpenAPI 3.1's own dialect, so zod's `toJSONSchema` output goes in unchanged.
 */
export interface OpenApiDocument {
  openapi: '3.1.1';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

type Operation = Record<string, unknown>;

export interface RouteGroups {
  /** The JSON API. */
  api: readonly AnyRoute[];
  /** Browser pages and OAuth endpoints: they also take urlencoded forms. */
  pages: readonly AnyRoute[];
}

const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ERROR_REF } },
});

const SECURITY_SCHEMES = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A project API key (`gth_sk_…`). Its role is `admin` (manages the project) or `runtime` (what an ' +
      'agent needs to act); an operation lists the role it needs, and an admin key may call every ' +
      'runtime operation.',
  },
  agentKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A registered agent's key (`gth_ak_…`, POST /v1/agents): a runtime key whose calls act as that agent.",
  },
  delegatedToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A short-lived token from the project token endpoint (RFC 8693 exchange): acts for its `sub` user, with its `act` chain of agents.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: "The instance's admin token (GATEHOUSE_ADMIN_TOKEN): creates projects, nothing else.",
  },
} as const;

// OpenAPI 3.1 §4.8.30: for non-OAuth schemes the array lists the roles the operation needs.
function securityOf(auth: AuthKind): Array<Record<string, string[]>> {
  if (auth === 'none') return [];
  if (auth === 'admin') return [{ adminToken: [] }];
  if (auth === 'project:admin') return [{ apiKey: ['admin'] }];
  const keys = [{ apiKey: ['runtime'] }, { agentKey: [] }];
  return auth === 'project:runtime|delegated' ? [...keys, { delegatedToken: [] }] : keys;
}

const AUTH_NOTE: Record<AuthKind, string> = {
  none: 'No authentication.',
  admin: 'Needs the instance admin token.',
  'project:admin': 'Needs a project API key with the `admin` role.',
  'project:runtime': 'Needs a project API key (`runtime` or `admin` role) or an agent key.',
  'project:runtime|delegated':
    'Needs a project API key (`runtime` or `admin` role), an agent key, or an exchanged delegation token.',
};

/** Fastify's `/v1/agents/:id` and `/as/*` as OpenAPI paths (`/v1/agents/{id}`, `/as/{path}`). */
export const openApiPath = (url: string): string =>
  url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{path}');

/** `GET /v1/agents/:id/keys` → `getV1AgentsIdKeys`: used when a route does not name its operation. */
export function derivedOperationId(method: string, url: string): string {
  const words = url.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export const operationIdOf = (r: AnyRoute): string => r.operationId ?? derivedOperationId(r.method, r.url);

export function buildOpenApiDocument(groups: RouteGroups, version: string): OpenApiDocument {
  const all = [
    ...groups.api.map((r) => ({ r, form: false })),
    ...groups.pages.map((r) => ({ r, form: true })),
  ];
  // Request schemas describe what a client may send (io: input: defaults optional, coercions
  // loose); response schemas what it receives (io: output).
  const inputs = new Map<string, z.ZodType>();
  const outputs = new Map<string, z.ZodType>();
  all.forEach(({ r }, i) => {
    for (const part of ['body', 'query', 'params'] as const) {
      const schema = r[part];
      if (schema) inputs.set(`${i}:${part}`, schema);
    }
    for (const [status, res] of Object.entries(r.responses)) {
      if (res && isSchema(res)) outputs.set(`${i}:${status}`, res);
    }
  });
  const input = toJsonSchemas(inputs, 'input', false);
  const output = toJsonSchemas(outputs, 'output', true);

  const paths: OpenApiDocument['paths'] = {};
  all.forEach(({ r, form }, i) => {
    if (r.method === 'OPTIONS') return; // CORS preflights: not operations a client calls.
    const operation: Operation = {
      operationId: operationIdOf(r),
      tags: [tagOf(r.url)],
      ...(r.summary ? { summary: r.summary } : {}),
      description: AUTH_NOTE[r.auth as AuthKind],
      'x-gatehouse-auth': r.auth,
      security: securityOf(r.auth as AuthKind),
    };
    const parameters = [
      ...parametersOf(input.schemas.get(`${i}:params`), 'path'),
      ...parametersOf(input.schemas.get(`${i}:query`), 'query'),
    ];
    // A wildcard path has one path parameter the route does not parse itself.
    if (r.url.endsWith('*'))
      parameters.push({ name: 'path', in: 'path', required: true, schema: { type: 'string' } });
    if (parameters.length > 0) operation.parameters = parameters;
    const body = input.schemas.get(`${i}:body`);
    if (body) {
      const mediaTypes = form
        ? ['application/x-www-form-urlencoded', 'application/json']
        : ['application/json'];
      operation.requestBody = {
        required: r.body!.safeParse(undefined).success === false,
        content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: body }])),
      };
    }
    operation.responses = responsesOf(r, (status) => output.schemas.get(`${i}:${status}`));
    const path = openApiPath(r.url);
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = operation;
  });

  return {
    openapi: '3.1.1',
    info: {
      title: 'Gatehouse API',
      version,
      description:
        'The HTTP API of Gatehouse, an auth-to-action broker for AI agents. Generated from the ' +
        "server's route table: the schemas here are the ones the server validates requests with.",
    },
    tags: TAGS,
    paths,
    components: {
      schemas: Object.fromEntries([...output.named].sort(([a], [b]) => a.localeCompare(b))),
      responses: {
        BadRequest: errorResponse('The request is not valid (`invalid_request`, `invalid_json`, …).'),
        Unauthorized: errorResponse('No credentials, or credentials that are not valid.'),
        Forbidden: errorResponse("The credentials' role may not call this operation, or governance said no."),
        NotFound: errorResponse('No such resource in this project.'),
        Error: errorResponse('Any other error, with a code from the error table.'),
      },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

function parametersOf(
  schema: JsonSchema | undefined,
  where: 'path' | 'query',
): Array<Record<string, unknown>> {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

function responsesOf(
  r: AnyRoute,
  schemaOf: (status: string) => JsonSchema | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, res] of Object.entries(r.responses) as Array<[string, ResponseSpec]>) {
    out[status] = responseObject(res, schemaOf(status));
  }
  if (r.errorFormat === 'oauth') {
    out['400'] ??= {
      description: 'OAuth error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } },
    };
    return out;
  }
  const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
  if (r.body || r.query || r.params) out['400'] ??= ref('BadRequest');
  if (r.auth !== 'none') {
    out['401'] ??= ref('Unauthorized');
    out['403'] ??= ref('Forbidden');
  }
  if (r.params && r.auth !== 'none') out['404'] ??= ref('NotFound');
  out.default = ref('Error');
  return out;
}

function responseObject(res: ResponseSpec, schema: JsonSchema | undefined): Record<string, unknown> {
  if (isSchema(res)) {
    const description = (schema?.description as string | undefined) ?? 'OK';
    return { description, content: { 'application/json': { schema } } };
  }
  if (res.kind === 'text')
    return { description: res.description, content: { [res.contentType]: { schema: { type: 'string' } } } };
  return {
    description: res.description,
    ...(res.headers
      ? { headers: Object.fromEntries(res.headers.map((h) => [h, { schema: { type: 'string' } }])) }
      : {}),
  };
}
