import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  builtInProviders,
  builtInToolkits,
  builtInTools,
  compileArgumentValidator,
  getBuiltInProvider,
  getBuiltInTool,
  parseToolkit,
} from '../src/index.js';
import { importConfigFiles } from '../src/openapi/generate.js';
import { IMPORT_CONFIG_JSON_SCHEMA_FILE, importConfigJsonSchemaText } from '../src/openapi/json-schema.js';
import { TOOLKIT_JSON_SCHEMA_FILE, toolkitJsonSchemaText } from '../src/toolkits/json-schema.js';
import { loadToolkitDirectories } from '../src/toolkits/registry.js';

const toolkitsDir = new URL('../toolkits/', import.meta.url);
const generatedDir = new URL('../toolkits/generated/', import.meta.url);
const jsonFiles = (dir: URL) => readdirSync(dir).filter((f) => f.endsWith('.json'));
const acme = JSON.parse(readFileSync(new URL('acme.json', toolkitsDir), 'utf8'));

describe('shipped toolkit files', () => {
  it.each([
    ...jsonFiles(toolkitsDir).map((f) => [f, toolkitsDir, '../schema/toolkit.schema.json'] as const),
    ...jsonFiles(generatedDir).map((f) => [f, generatedDir, '../../schema/toolkit.schema.json'] as const),
  ])('%s validates and names its JSON Schema', (file, dir, schemaPath) => {
    const raw = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    expect(raw.$schema).toBe(schemaPath);
    const parsed = parseToolkit(raw);
    expect(parsed.ok ? [] : parsed.error.issues).toEqual([]);
  });

  it('loads every toolkit once and indexes every tool by slug', () => {
    const toolkits = builtInToolkits();
    expect(builtInToolkits()).toBe(toolkits);
    // acme, HubSpot and Linear are hand-written; every other toolkit is generated from a selection file.
    const generated = importConfigFiles().map((f) =>
      f.pathname.split('/').at(-1)!.replace('.import.json', ''),
    );
    expect([...toolkits.keys()].sort()).toEqual(['acme', 'hubspot', 'linear', ...generated].sort());
    const tools = builtInTools();
    expect(tools.length).toBe([...toolkits.values()].reduce((n, t) => n + t.tools.length, 0));
    for (const { toolkit, tool } of tools) {
      expect(getBuiltInTool(tool.slug)).toEqual({ toolkit, tool });
      expect(builtInProviders().has(toolkit.provider)).toBe(true);
    }
    expect(getBuiltInTool('acme.tasks.explode')).toBeUndefined();
    // Loading defers compiling input schemas to a tool's first call: every one must compile.
    for (const { tool } of tools) expect(() => compileArgumentValidator(tool)).not.toThrow();
  });

  it('keeps the committed JSON Schemas in step with the zod schema (npm run -w @gatehouse/catalog gen-schema)', () => {
    expect(readFileSync(TOOLKIT_JSON_SCHEMA_FILE, 'utf8')).toBe(toolkitJsonSchemaText());
    expect(readFileSync(IMPORT_CONFIG_JSON_SCHEMA_FILE, 'utf8')).toBe(importConfigJsonSchemaText());
  });
});

describe('the Acme Tasks toolkit matches the sandbox API', () => {
  const tool = (slug: string) => {
    const found = getBuiltInTool(slug);
    if (!found) throw new Error(`${slug} is not shipped`);
    return found.tool;
  };

  it('offers the six task tools on the sandbox provider, with the scopes the API enforces', () => {
    expect(builtInToolkits().get('acme')?.provider).toBe('sandbox');
    const summary = builtInToolkits()
      .get('acme')
      ?.tools.map((t) => `${t.slug} ${t.http.method} ${t.http.path} ${t.risk} [${t.scopes.join(' ')}]`);
    expect(summary).toEqual([
      'acme.me.get GET /me read []',
      'acme.tasks.list GET /tasks read [tasks:read]',
      'acme.tasks.get GET /tasks/{id} read [tasks:read]',
      'acme.tasks.create POST /tasks write [tasks:write]',
      'acme.tasks.update PATCH /tasks/{id} write [tasks:write]',
      'acme.tasks.delete DELETE /tasks/{id} destructive [tasks:delete]',
    ]);
    const sandboxScopes = getBuiltInProvider('sandbox')?.oauth2?.scopes.map((s) => s.name);
    for (const t of builtInToolkits().get('acme')?.tools ?? []) {
      for (const scope of t.scopes) expect(sandboxScopes).toContain(scope);
    }
  });

  it('lists with the query the sandbox reads and pages with its nextCursor', () => {
    const list = tool('acme.tasks.list');
    expect(list.http.query).toEqual({
      status: 'status',
      visibility: 'visibility',
      limit: 'limit',
      cursor: 'cursor',
    });
    expect(list.pagination).toEqual({ style: 'cursor', cursorArg: 'cursor', nextCursorPath: 'nextCursor' });
    expect(list.output).toEqual({ root: 'tasks' });
  });

  it('creates and updates with the body fields the sandbox accepts, and only create needs a title', () => {
    const create = tool('acme.tasks.create');
    expect(Object.keys(create.input.properties)).toEqual(['title', 'notes', 'visibility', 'amount']);
    expect(create.input.required).toEqual(['title']);
    expect(create.idempotent).toBe(false);
    const update = tool('acme.tasks.update');
    expect(Object.keys(update.input.properties)).toEqual([
      'id',
      'title',
      'notes',
      'status',
      'visibility',
      'amount',
    ]);
    expect(update.input.required).toEqual(['id']);
    // Notes are free text a user may put anything into; audit must not keep them.
    expect(create.sensitiveArguments).toEqual(['notes']);
    expect(tool('acme.tasks.delete').idempotent).toBe(true);
  });
});

describe('loading a toolkit directory', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  function load(files: Record<string, unknown>) {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-toolkits-'));
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return () => loadToolkitDirectories([pathToFileURL(`${dir}/`)], builtInProviders());
  }

  it('names the file and the path when a tool is broken', () => {
    const broken = structuredClone(acme);
    broken.tools[2].http.path = '/tasks/{taskId}';
    expect(load({ 'acme.json': broken })).toThrow(
      'Invalid toolkit file acme.json: tools[2].http.path: {taskId} is not an argument',
    );
  });

  it('refuses an unknown provider, a scope the provider does not have, and a mismatched file name', () => {
    expect(load({ 'acme.json': { ...acme, provider: 'acme-cloud' } })).toThrow(
      'provider: acme-cloud is not a built-in provider',
    );
    const widened = structuredClone(acme);
    widened.tools[1].scopes = ['tasks:admin'];
    expect(load({ 'acme.json': widened })).toThrow('tools[1].scopes: tasks:admin is not a scope of sandbox');
    expect(load({ 'tasks.json': acme })).toThrow('id: must be "tasks" to match the file name');
    expect(load({ 'acme.json': '{"id": ' })).toThrow('Invalid toolkit file acme.json: not readable JSON');
  });
});
