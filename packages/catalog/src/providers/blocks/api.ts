import { z } from 'zod';
import { headers, httpMethod, jsonPath, name, path, urlTemplate } from './common.js';

export const settingsBlock = z
  .record(
    name,
    z.strictObject({
      description: z.string().min(1),
      default: z.string().optional(),
      required: z.boolean().default(false),
      pattern: z.string().optional().describe('Regular expression the value must match (anchor it)'),
      sensitive: z
        .boolean()
        .default(false)
        .describe(
          "A value that grants access (Trello's app key): write-only, never shown in an answer, an audit row or a log",
        ),
    }),
  )
  .default({})
  .describe('Per-auth-config values available as {{settings.name}} (Microsoft tenant, sandbox baseUrl)');

const capturedValue = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('token_response'), path: jsonPath('Path in the token response') }),
  z.strictObject({
    from: z.literal('request'),
    method: httpMethod,
    url: urlTemplate('Absolute URL; may use {{settings.x}}'),
    path: jsonPath('Path in the JSON response'),
    headers: z.record(z.string(), z.string()).optional(),
  }),
]);

export const connectionConfigBlock = z
  .record(name, capturedValue)
  .default({})
  .describe(
    'Values captured at connect time, available as {{connection.name}} (Salesforce instance_url, Atlassian cloud id)',
  );

const body = z.unknown().optional().describe('JSON request body');

const identity = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('id_token') }),
  z.strictObject({
    source: z.literal('request'),
    method: httpMethod,
    path: path('Path relative to api.baseUrl'),
    body,
    subjectPath: jsonPath("Path to the upstream account's stable id"),
    displayNamePath: jsonPath('Path to a human-readable name').optional(),
  }),
]);

const rateLimit = z
  .strictObject({
    statuses: z
      .array(z.number().int().min(400).max(599))
      .default([429])
      .describe('Statuses that mean "rate limited"'),
    retryAfterHeader: z.string().optional().describe('Header with seconds or an HTTP date to wait'),
    resetHeader: z.string().optional().describe('Header telling when the window resets'),
    resetFormat: z.enum(['epoch_seconds', 'epoch_ms', 'delta_seconds', 'http_date', 'iso_8601']).optional(),
    remainingHeader: z.string().optional(),
    limitHeader: z.string().optional(),
  })
  .describe('How the API signals rate limiting');

export const apiBlock = z.strictObject({
  baseUrl: urlTemplate('API base URL; may use {{settings.x}} and {{connection.x}}'),
  additionalBaseUrls: z
    .array(z.url({ protocol: /^https?$/ }))
    .optional()
    .describe(
      "Other hosts of the same API a toolkit may name as its baseUrl (Google Sheets is only on sheets.googleapis.com); the account's credential is sent there too",
    ),
  internal: z
    .boolean()
    .default(false)
    .describe('May resolve to loopback/private addresses and use http (only the sandbox)'),
  authHeader: z
    .strictObject({ name: z.string().min(1).default('Authorization'), prefix: z.string().default('Bearer ') })
    .prefault({}),
  defaultHeaders: headers('Headers sent on every API call (API versions, Accept)'),
  defaultQuery: z
    .record(z.string().min(1), z.string())
    .default({})
    .describe(
      "Query parameters sent on every API call, with the credential; values may use {{settings.x}} (Trello's app key). Values are treated as sensitive: scrubbed from what callers see",
    ),
  identity: identity.optional().describe("How to learn the upstream account's stable subject after connect"),
  healthCheck: z
    .strictObject({ method: httpMethod, path: path('Path relative to api.baseUrl'), body })
    .optional()
    .describe('A cheap call that proves the token works'),
  rateLimit: rateLimit.prefault({}),
  errorBody: z
    .strictObject({
      path: jsonPath('Where a 2xx answer says the call failed'),
      when: z
        .enum(['present', 'false'])
        .describe(
          "present: a non-empty value there (GraphQL's errors array); false: the value false (Slack's ok)",
        ),
      messagePath: jsonPath('The error message shown to the agent').optional(),
      credentialErrors: z
        .array(z.string().min(1))
        .default([])
        .describe(
          "Messages (at messagePath) that mean the credential itself was refused, as an HTTP 401 would (Slack's invalid_auth, token_revoked): the health probe treats them as one",
        ),
    })
    .optional()
    .describe('For APIs that answer a failure with a 2xx status and the error in the body (GraphQL)'),
  responseHeaderAllowlist: z
    .array(z.string().min(1))
    .default([])
    .describe('Extra upstream response headers a proxy caller may see'),
});
