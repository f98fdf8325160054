import { z } from 'zod';
import { headerName, jsonPath } from '../providers/blocks/common.js';
import { refineToolkit, TOOL_SLUG } from './refinements.js';

export const RISKS = ['read', 'write', 'destructive', 'financial'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Retrying these cannot apply a change twice (RFC 9110 §9.2.2), unless a tool says otherwise. */
const IDEMPOTENT_METHODS: Record<HttpMethod, boolean> = {
  GET: true,
  PUT: true,
  DELETE: true,
  POST: false,
  PATCH: false,
};

// Identifiers, so every LLM tool-calling API accepts them as property names.
export const argName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
  message: 'Must be an argument name ([A-Za-z_][A-Za-z0-9_]*, at most 64 chars)',
});

const schemaNode = z.union([z.boolean(), z.record(z.string(), z.unknown())]);

const inputSchema = z
  .looseObject({
    type: z.literal('object'),
    properties: z.record(argName, schemaNode).default({}).describe('One entry per argument'),
    required: z.array(argName).optional(),
    additionalProperties: schemaNode.default(false),
  })
  .describe('JSON Schema 2020-12 of the arguments; no top-level combinators or $ref');

const body = z.union([
  z
    .strictObject({
      fields: z.record(jsonPath('Where in the JSON body'), argName),
      const: z
        .record(z.string().min(1), z.unknown())
        .optional()
        .describe(
          'Fixed top-level members sent with every call, before the fields (a GraphQL query document: Linear)',
        ),
      encoding: z
        .enum(['form', 'form_deep'])
        .optional()
        .describe(
          'Send the fields as application/x-www-form-urlencoded. form: objects and arrays as JSON text (Slack Web API); ' +
            'form_deep: as bracketed keys, OpenAPI deepObject style (Stripe: metadata[order]=7, items[0][price]=p)',
        ),
    })
    .describe('An object built from arguments: dotted body path -> argument name; JSON unless encoding says'),
  z.strictObject({ arg: argName }).describe('One argument is the whole JSON body'),
]);

const httpBlock = z
  .strictObject({
    method: z.enum(HTTP_METHODS),
    path: z
      .string()
      .regex(/^\/[^\s?#]*$/, { message: 'Must be a path starting with /, without query or fragment' })
      .describe(
        'Relative to the provider api.baseUrl; {arg} is one encoded segment, {arg+} may span segments',
      ),
    query: z.record(z.string().min(1), argName).optional().describe('Query parameter -> argument name'),
    constantQuery: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Query parameters with a fixed value on every call (Google Drive: fields=...)'),
    headers: z.record(headerName, argName).optional().describe('Request header -> argument name'),
    body: body.optional(),
  })
  .describe('How a call becomes one HTTP request');

export const outputBlock = z
  .strictObject({
    root: jsonPath('Path to the part of the response to return').optional(),
    pick: z
      .array(jsonPath('A path to keep'))
      .min(1)
      .optional()
      .describe('Paths kept from each item (from the value when it is not an array); arrays are crossed'),
    rename: z
      .record(jsonPath('Path after pick'), jsonPath('New path'))
      .optional()
      .describe(
        'Moves values after pick, per item; every source is read before any moves, so renames are order-independent',
      ),
  })
  .describe('Shapes the upstream answer for the LLM: smaller is cheaper and clearer');

export const pagination = z
  .discriminatedUnion('style', [
    z.strictObject({
      style: z.literal('cursor'),
      cursorArg: argName,
      nextCursorPath: jsonPath('Where the next cursor is in the response body'),
    }),
    z.strictObject({ style: z.literal('page'), pageArg: argName }),
    z.strictObject({ style: z.literal('link_header'), cursorArg: argName }),
  ])
  .describe('How to ask for the next page; nextCursor is passed back as the cursor argument');

/** Types a record attribute may have in record-level policies (Cedar types; `?` = may be absent or null). */
export const RECORD_ATTRIBUTE_TYPES = [
  'String',
  'Long',
  'Boolean',
  'decimal',
  'datetime',
  'Set<String>',
] as const;
const recordAttributeType = z.string().regex(/^(String|Long|Boolean|decimal|datetime|Set<String>)\??$/, {
  message: `Must be one of ${RECORD_ATTRIBUTE_TYPES.join(', ')}, optionally followed by ? (may be absent)`,
});

export const recordsBlock = z
  .strictObject({
    attributes: z
      .record(argName, recordAttributeType)
      .refine((a) => Object.keys(a).length > 0, { message: 'Declare at least one attribute' })
      .describe('Attribute name -> Cedar type; policies see them as context.record.<name>'),
  })
  .describe(
    'The records this tool returns (the items of its shaped output, or the object itself), typed so record-level policies can filter them before the agent sees them',
  );

const toolObject = z.strictObject({
  slug: z
    .string()
    .max(128)
    .regex(TOOL_SLUG, { message: 'Must be a dotted slug such as acme.tasks.create' })
    .describe('<toolkit id>.<resource>.<action>'),
  name: z.string().min(1).max(120).describe('Short human title'),
  description: z.string().min(1).describe('For the LLM: what it does and when to use it'),
  input: inputSchema,
  scopes: z
    .array(z.string().regex(/^\S+$/, { message: 'Scope names contain no whitespace' }))
    .describe('Every scope the call needs (least privilege; may be empty)'),
  risk: z.enum(RISKS),
  idempotent: z.boolean().optional().describe('Default: true for GET, PUT, DELETE; false for POST, PATCH'),
  http: httpBlock,
  output: outputBlock.optional(),
  pagination: pagination.optional(),
  sensitiveArguments: z
    .array(argName)
    .default([])
    .describe('Arguments never written to audit (message bodies, personal data)'),
  costUnits: z.number().nonnegative().default(1).describe('Weight of one call in budgets'),
  records: recordsBlock.optional(),
});

const toolSchema = toolObject.transform((tool) => ({
  ...tool,
  idempotent: tool.idempotent ?? IDEMPOTENT_METHODS[tool.http.method],
}));

const toolkitObject = z.strictObject({
  $schema: z.string().optional().describe('Path to this JSON Schema, for editors'),
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,62}$/, { message: 'Must be a slug: lowercase letters, digits and _' })
    .describe('First segment of every tool slug; the data file is named <id>.json'),
  displayName: z.string().min(1),
  description: z.string().optional(),
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/, { message: 'Must be a provider id' })
    .describe('The provider whose connected accounts and api.baseUrl the tools use'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Tool paths are relative to this instead of the provider's api.baseUrl; must be one of its api.additionalBaseUrls",
    ),
  tools: z.array(toolSchema).min(1),
});

export const toolkitSchema = toolkitObject.superRefine(refineToolkit).meta({
  title: 'Gatehouse toolkit',
  description: 'Tools over one provider API, as data. See packages/catalog/README.md.',
});

/** A validated toolkit with every default applied (tools always say whether they are idempotent). */
export type Toolkit = z.output<typeof toolkitObject>;
export type ToolkitInput = z.input<typeof toolkitObject>;
export type ToolDefinition = z.output<typeof toolSchema>;
export type ToolInput = z.input<typeof toolObject>;
export type ToolHttp = ToolDefinition['http'];
export type ToolOutput = NonNullable<ToolDefinition['output']>;
export type ToolPagination = NonNullable<ToolDefinition['pagination']>;
export type ToolRecords = NonNullable<ToolDefinition['records']>;
export type Risk = (typeof RISKS)[number];
