import { readFileSync } from 'node:fs';
import { sample } from 'openapi-sampler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRequest,
  builtInToolkits,
  compileArgumentValidator,
  encodeBody,
  getBuiltInProvider,
  shapeOutput,
  type ToolDefinition,
} from '../src/index.js';
import { importConfigFiles, readSlice } from '../src/openapi/generate.js';
import { resolvePointer } from '../src/openapi/refs.js';
import { OpenApiMockUpstream } from './support/openapi-mock.js';

// Every tool of every toolkit generated from an OpenAPI slice, checked against that slice: example
// arguments from the tool's input schema -> buildRequest -> a real HTTP request to a loopback
// upstream where openapi-backend validates it against the operation and answers with a mock from
// the operation's response schema -> the tool's output shaping on that answer.

type Config = {
  toolkit: { id: string };
  basePath?: string;
  serverOverride?: { url: string };
  operations: 'all' | { operationId: string }[];
  brokerParameters?: { in: 'header' | 'query'; name: string }[];
};

const toolkits = builtInToolkits();
const configs = importConfigFiles().map((file) => JSON.parse(readFileSync(file, 'utf8')) as Config);
const slices = new Map(configs.map((c) => [c.toolkit.id, readSlice(configFile(c.toolkit.id))]));
const upstream = new OpenApiMockUpstream();
let base = '';

const cases = configs.flatMap((config) => {
  const toolkit = toolkits.get(config.toolkit.id);
  if (!toolkit) throw new Error(`${config.toolkit.id} is not a built-in toolkit`);
  return toolkit.tools.map((tool, i) => {
    const expected = config.operations === 'all' ? undefined : config.operations[i]?.operationId;
    return [tool.slug, { config, toolkit, tool, expected }] as const;
  });
});

beforeAll(async () => {
  for (const [id, slice] of slices) upstream.add(id, slice);
  base = await upstream.start();
});
afterAll(() => upstream.stop());

describe.each(configs.map((c) => [c.toolkit.id, c] as const))(
  'toolkit %s against its slice',
  (id, config) => {
    it("sits under the slice's server: (toolkit or provider) base URL + basePath is the document's server URL (or the reviewed serverOverride)", () => {
      const toolkit = toolkits.get(id)!;
      const provider = getBuiltInProvider(toolkit.provider);
      expect(provider, `provider ${toolkit.provider}`).toBeDefined();
      const servers = slices.get(id)!['servers'] as { url: string }[] | undefined;
      const server = (config.serverOverride?.url ?? servers?.[0]?.url)?.replace(/\/+$/, '');
      const base = toolkit.baseUrl ?? provider!.api.baseUrl;
      const providerBase = `${base.replace(/\/+$/, '')}${config.basePath ?? ''}`;
      expect(server).toBe(providerBase);
    });

    it("asks only for scopes in the provider's vocabulary", () => {
      const toolkit = toolkits.get(id)!;
      const vocabulary = getBuiltInProvider(toolkit.provider)?.oauth2?.scopes.map((s) => s.name);
      for (const tool of toolkit.tools)
        for (const scope of tool.scopes) expect(vocabulary, tool.slug).toContain(scope);
    });
  },
);

describe('every generated tool against the operation it came from', () => {
  it.each(cases)('%s', async (_, { config, toolkit, tool, expected }) => {
    const args = exampleArguments(tool);
    const valid = compileArgumentValidator(tool)(args);
    expect(valid.ok ? 'valid' : valid.error.message, 'example arguments fit the input schema').toBe('valid');
    const built = buildRequest(tool, args);
    if (!built.ok) throw new Error(built.error.message);

    const prefix = config.basePath ?? '';
    expect(built.value.path.startsWith(`${prefix}/`)).toBe(true);
    // The credential parameters the document declares for this operation get a placeholder, as the
    // broker's credential stands in for them upstream.
    const declared = brokerParametersOf(slices.get(toolkit.id)!, expected, config);
    const headers: Record<string, string> = { ...built.value.headers };
    const url = new URL(`${base}/${toolkit.id}${built.value.path.slice(prefix.length)}`);
    for (const p of declared)
      if (p.in === 'query') url.searchParams.set(p.name, 'x');
      else headers[p.name] = 'x';
    const res = await fetch(url, {
      method: built.value.method,
      headers,
      body: encodeBody(built.value) ?? null,
    });
    const text = await res.text();
    const answer: unknown = text === '' ? null : JSON.parse(text);
    expect(isSuccess(res.status), `${res.status} ${text}`).toBe(true);
    const operationId = res.headers.get('x-operation-id') ?? '';
    if (expected !== undefined) expect(operationId).toBe(expected);

    const responseHeaders = Object.fromEntries(res.headers);
    const shaped = shapeOutput(tool, answer, responseHeaders, args);
    checkShaped(tool, answer, shaped, responseSchema(slices.get(toolkit.id)!, operationId));
  });
});

describe('the mock upstream is a real check', () => {
  it('refuses a request the operation does not allow: a missing required body field, a wrong path', async () => {
    const create = toolkits.get('github')!.tools.find((t) => t.slug === 'github.issues.create')!;
    const built = buildRequest(create, { owner: 'octo', repo: 'app', title: 'x' });
    if (!built.ok) throw new Error(built.error.message);
    const send = (path: string, body: unknown) =>
      fetch(`${base}/github${path}`, {
        method: 'POST',
        headers: built.value.headers,
        body: JSON.stringify(body),
      });
    const ok = await send(built.value.path, built.value.body);
    expect(ok.status).toBe(201);
    const noTitle = await send(built.value.path, { labels: ['bug'] });
    expect(noTitle.status).toBe(400);
    expect(JSON.stringify(await noTitle.json())).toContain('title');
    const wrongType = await send(built.value.path, { title: 'x', labels: 'bug' });
    expect(wrongType.status).toBe(400);
    expect((await send('/repos/octo/app/issue', built.value.body)).status).toBe(404);
  });

  it('reads a deepObject form body as the server would, and refuses a bad one (Stripe)', async () => {
    const create = toolkits.get('stripe')!.tools.find((t) => t.slug === 'stripe.subscriptions.create')!;
    const args = { customer: 'cus_1', items: [{ price: 'price_1', quantity: 2 }], metadata: { order: '7' } };
    const built = buildRequest(create, args);
    if (!built.ok) throw new Error(built.error.message);
    const text = encodeBody(built.value) ?? '';
    expect(decodeURIComponent(text)).toBe(
      'customer=cus_1&items[0][price]=price_1&items[0][quantity]=2&metadata[order]=7',
    );
    const send = (body: string) =>
      fetch(`${base}/stripe${built.value.path}`, { method: 'POST', headers: built.value.headers, body });
    expect((await send(text)).status).toBe(200);
    const noCustomer = await send(text.replace('customer=cus_1&', ''));
    expect(noCustomer.status).toBe(400);
    expect(JSON.stringify(await noCustomer.json())).toContain('customer');
    // Numbers are read from text, but text that is not one is refused.
    expect((await send(text.replace('quantity%5D=2', 'quantity%5D=two'))).status).toBe(400);
  });
});

function configFile(id: string): URL {
  const file = importConfigFiles().find((f) => f.pathname.endsWith(`/${id}.import.json`));
  if (!file) throw new Error(`no selection file for ${id}`);
  return file;
}

/**
 * Every argument, required or not, so every path, query, header and body mapping is exercised;
 * inside an argument's value only required members (an argument that is a whole recursive resource,
 * Gmail's message, would otherwise be sampled down to where the importer cut the recursion).
 */
function exampleArguments(tool: ToolDefinition): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(tool.input.properties)) {
    const value = sample(schema as never, { skipReadOnly: true, skipNonRequired: true, quiet: true });
    if (value !== undefined) args[name] = value;
  }
  return args;
}

function brokerParametersOf(
  slice: Record<string, unknown>,
  operationId: string | undefined,
  config: Config,
): { in: string; name: string }[] {
  const broker = config.brokerParameters ?? [];
  if (broker.length === 0 || operationId === undefined) return [];
  for (const item of Object.values(slice['paths'] as Record<string, Record<string, unknown>>)) {
    for (const op of Object.values(item) as { operationId?: string; parameters?: unknown[] }[]) {
      if (op?.operationId !== operationId) continue;
      const params = [...((item['parameters'] as unknown[]) ?? []), ...(op.parameters ?? [])].map(
        (p) => deref(slice, p) as { in: string; name: string },
      );
      return broker.filter((b) => params.some((p) => p.in === b.in && p.name === b.name));
    }
  }
  return [];
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The shaped answer holds what the tool declares: the root exists; every picked path (after the
 * root) is one the operation's response schema documents, and each shaped item keeps at least one
 * of them from the mocked answer (a oneOf branch the sampler did not take may lack the others); a
 * cursor where pagination reads one; every declared non-optional record attribute on each record.
 */
function checkShaped(
  tool: ToolDefinition,
  answer: unknown,
  shaped: ReturnType<typeof shapeOutput>,
  schema: SchemaWalk | undefined,
): void {
  if (answer === null) {
    expect(shaped.data).toBeNull();
    expect(tool.output, 'output shaping on an operation that answers no content').toBeUndefined();
    return;
  }
  expect(schema, 'a JSON response schema').toBeDefined();
  expect(shaped.data, 'output.root').not.toBeNull();
  const root = tool.output?.root?.split('.') ?? [];
  expect(schemaHas(schema!, root), `output.root ${tool.output?.root}`).toBe(true);
  const picks = tool.output?.pick ?? [];
  for (const path of picks)
    expect(schemaHas(schema!, [...root, ...path.split('.')]), `output.pick ${path} is documented`).toBe(true);
  const items = Array.isArray(shaped.data) ? shaped.data : [shaped.data];
  for (const item of items) {
    if (picks.length > 0) expect(Object.keys(item as object).length, 'picked fields').toBeGreaterThan(0);
    for (const [name, type] of Object.entries(tool.records?.attributes ?? {}))
      if (!type.endsWith('?')) expect(item, `records.${name}`).toHaveProperty([name]);
  }
  if (tool.pagination?.style === 'cursor')
    expect(shaped.nextCursor, `pagination.nextCursorPath ${tool.pagination.nextCursorPath}`).toBeTypeOf(
      'string',
    );
}

type SchemaWalk = { slice: Record<string, unknown>; schema: unknown };

/** The JSON schema of an operation's first 2xx response in the slice. */
function responseSchema(slice: Record<string, unknown>, operationId: string): SchemaWalk | undefined {
  for (const item of Object.values(slice['paths'] as Record<string, Record<string, unknown>>)) {
    for (const op of Object.values(item) as { operationId?: string; responses?: Record<string, unknown> }[]) {
      if (op?.operationId !== operationId) continue;
      const code = Object.keys(op.responses ?? {})
        .filter((k) => /^2(\d\d|XX)$/i.test(k))
        .sort()[0];
      const response = deref(slice, code === undefined ? undefined : op.responses?.[code]) as
        | { content?: Record<string, { schema?: unknown }> }
        | undefined;
      const content = response?.content ?? {};
      const media = Object.keys(content).find((m) => /^application\/(?:[\w.-]+\+)?json/i.test(m));
      return media === undefined ? undefined : { slice, schema: content[media]?.schema };
    }
  }
  return undefined;
}

/** Whether a dotted path (crossing arrays, through allOf/oneOf/anyOf) is documented by the schema. */
function schemaHas(walk: SchemaWalk, path: string[], depth = 0): boolean {
  const node = deref(walk.slice, walk.schema) as Record<string, unknown> | undefined;
  if (node === undefined || depth > 40) return false;
  if (path.length === 0) return true;
  const at = (schema: unknown, rest: string[]) => schemaHas({ slice: walk.slice, schema }, rest, depth + 1);
  for (const key of ['allOf', 'oneOf', 'anyOf'])
    if (Array.isArray(node[key]) && (node[key] as unknown[]).some((branch) => at(branch, path))) return true;
  if (node['items'] !== undefined && at(node['items'], path)) return true;
  const [head, ...rest] = path;
  const properties = node['properties'] as Record<string, unknown> | undefined;
  if (properties && Object.hasOwn(properties, head!)) return at(properties[head!], rest);
  const extra = node['additionalProperties'];
  if (typeof extra === 'object' && extra !== null && at(extra, rest)) return true;
  // A free-form map (Jira's issue fields: additionalProperties {}) names no members: the document
  // can neither confirm nor refute a path into it, so it is accepted (the selection notes say so).
  return extra === true || (isEmptySchema(extra) && node['properties'] === undefined);
}

function isEmptySchema(node: unknown): boolean {
  return typeof node === 'object' && node !== null && Object.keys(node).length === 0;
}

function deref(slice: Record<string, unknown>, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < 32 && current && typeof current === 'object' && '$ref' in current; i++)
    current = resolvePointer(slice, String((current as { $ref: unknown }).$ref));
  return current;
}
