import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { loadConfig } from '../src/config/config.js';
import { buildApp } from '../src/http/app.js';
import type { OpenApiDocument } from '../src/http/openapi/document.js';
import { createRuntime } from '../src/runtime.js';
import { errorStatusTable } from '../src/shared/errors.js';
import { createLogger } from '../src/telemetry/logger.js';
import { generateMasterKey } from '../src/vault/kms.js';

/** Where the SDK's generated types live (committed; `npm run gen:sdk-types` rewrites them). */
export const SDK_TYPES_FILE = join(import.meta.dirname, '../../sdk/src/generated/api.ts');

const BANNER = `/**
 * Types of the Gatehouse HTTP API, generated from the server's OpenAPI document (GET /openapi.json),
 * itself generated from the route table's zod schemas. Do not edit: run \`npm run gen:sdk-types\`.
 * A test fails when this file is stale (packages/server/test/openapi.test.ts).
 */`;

type Schema = Record<string, unknown>;
const REF_PREFIX = '#/components/responses/';

/** One operation as a type: its method and path, its inputs, and its declared answers per status. */
function operationSchema(method: string, path: string, op: Schema): Schema {
  const properties: Record<string, Schema> = {
    method: { const: method.toUpperCase() },
    path: { const: path },
  };
  const required = ['method', 'path', 'responses'];
  const parameters = (op.parameters ?? []) as Array<{
    name: string;
    in: string;
    required: boolean;
    schema: Schema;
  }>;
  for (const where of ['path', 'query'] as const) {
    const own = parameters.filter((p) => p.in === where);
    if (own.length === 0) continue;
    const key = where === 'path' ? 'params' : 'query';
    properties[key] = {
      type: 'object',
      properties: Object.fromEntries(own.map((p) => [p.name, p.schema])),
      required: own.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
    if (own.some((p) => p.required)) required.push(key);
  }
  const body = op.requestBody as
    | { required: boolean; content: Record<string, { schema: Schema }> }
    | undefined;
  if (body) {
    properties.body = body.content['application/json']?.schema ?? {};
    if (body.required) required.push('body');
  }
  const responses: Record<string, Schema> = {};
  for (const [status, res] of Object.entries(op.responses as Record<string, Schema>)) {
    if (typeof res.$ref === 'string' && res.$ref.startsWith(REF_PREFIX)) continue; // the shared error answers
    const content = res.content as Record<string, { schema: Schema }> | undefined;
    responses[status] =
      content?.['application/json']?.schema ?? (content ? { type: 'string' } : { type: 'null' });
  }
  properties.responses = {
    type: 'object',
    properties: responses,
    required: Object.keys(responses),
    additionalProperties: false,
  };
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The SDK's types module for an OpenAPI document: every named schema, and every operation by id. */
export async function renderSdkTypes(doc: OpenApiDocument): Promise<string> {
  const names = Object.keys(doc.components.schemas);
  const operations: Record<string, Schema> = {};
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods))
      operations[op.operationId as string] = operationSchema(method, path, op);
  const root = {
    title: 'GatehouseApi',
    type: 'object',
    properties: {
      schemas: {
        title: 'Schemas',
        type: 'object',
        properties: Object.fromEntries(names.map((n) => [n, { $ref: `#/components/schemas/${n}` }])),
        required: names,
        additionalProperties: false,
      },
      operations: {
        title: 'Operations',
        type: 'object',
        properties: operations,
        required: Object.keys(operations),
        additionalProperties: false,
      },
    },
    required: ['schemas', 'operations'],
    additionalProperties: false,
    components: { schemas: doc.components.schemas },
  };
  const types = await compile(root as JSONSchema, 'GatehouseApi', {
    bannerComment: BANNER,
    additionalProperties: false,
    unknownAny: true,
    format: true,
    style: { singleQuote: true, printWidth: 110, trailingComma: 'all' },
  });
  return `${types}\n${errorTableSource()}`;
}

/** The server's closed error table (shared/errors.ts) as a constant the SDK's typed errors read. */
function errorTableSource(): string {
  const rows = Object.entries(errorStatusTable()).map(([code, status]) => `  ${code}: ${status},`);
  return [
    '/** Every error code the server answers with, and its HTTP status (packages/server/src/shared/errors.ts). */',
    'export const ERROR_STATUS = {',
    ...rows,
    '} as const;',
    '',
  ].join('\n');
}

/** The document a freshly started server (in-memory settings, a throwaway data dir) serves. */
export async function currentOpenApiDocument(): Promise<OpenApiDocument> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-openapi-'));
  const loaded = loadConfig({
    GATEHOUSE_PORT: '0',
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_MASTER_KEY: generateMasterKey(),
    GATEHOUSE_LOG_LEVEL: 'silent',
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const created = await createRuntime(loaded.config, { log: createLogger({ level: 'silent' }) });
  if (!created.ok) throw new Error(created.error);
  const app = await buildApp(created.runtime);
  try {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    return res.json() as OpenApiDocument;
  } finally {
    await app.close();
    await created.runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
