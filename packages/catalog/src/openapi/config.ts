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
    omitBodyProperties: z
      .array(z.string().regex(/^[^.]+(\.[^.]+)*$/))
      .optional()
      .describe(
        'Optional request-body properties to leave out, as dotted body paths in the document\'s names (through $refs, allOf/anyOf/oneOf and array items); keeps tools over huge schemas small',
      ),
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
    records: recordsBlock
      .optional()
      .describe('Record attributes of the shaped output (each item), for record-level policies'),
    pagination: pagination.nullable().optional().describe('null: no pagination even when a rule matches'),
    costUnits: z.number().nonnegative().optional(),
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
      'For gen-toolkits: a module specifier or a path, relative to this file, of the OpenAPI document',
    ),
  toolkit: z.strictObject({
    id: z.string().min(1),
    displayName: z.string().min(1),
    description: z.string().optional(),
    provider: z.string().min(1),
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
