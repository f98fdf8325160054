import { describe, expect, it } from 'vitest';
import { parseToolkit, type ToolInput, type ToolkitInput } from '../src/index.js';

/** A small custom toolkit, as a developer would post it through the API. */
function notes(tool: Partial<ToolInput> = {}): ToolkitInput {
  return {
    id: 'notes',
    displayName: 'Notes',
    provider: 'sandbox',
    tools: [
      {
        slug: 'notes.pages.update',
        name: 'Update a page',
        description: 'Replaces the text of a page.',
        input: {
          type: 'object',
          properties: {
            pageId: { type: 'string' },
            text: { type: 'string' },
            version: { type: 'string' },
          },
          required: ['pageId', 'text'],
        },
        scopes: ['pages:write'],
        risk: 'write',
        http: {
          method: 'PUT',
          path: '/pages/{pageId}',
          headers: { 'If-Match': 'version' },
          body: { fields: { 'content.text': 'text' } },
        },
        ...tool,
      },
    ],
  };
}

function issuesOf(input: unknown): string[] {
  const result = parseToolkit(input);
  if (result.ok) throw new Error('expected the toolkit to be rejected');
  expect(result.error.code).toBe('invalid_toolkit');
  return result.error.issues.map((i) => `${i.path}: ${i.message}`);
}

const base = notes().tools[0]!;

describe('parseToolkit', () => {
  it('accepts a custom toolkit and applies the documented defaults', () => {
    const result = parseToolkit(notes());
    if (!result.ok) throw new Error(result.error.message);
    const [tool] = result.value.tools;
    expect(tool?.input.additionalProperties).toBe(false);
    expect(tool?.idempotent).toBe(true); // PUT
    expect(tool?.costUnits).toBe(1);
    expect(tool?.sensitiveArguments).toEqual([]);
    const post = parseToolkit(notes({ http: { ...base.http, method: 'POST' } }));
    expect(post.ok && post.value.tools[0]?.idempotent).toBe(false);
    const declared = parseToolkit(notes({ http: { ...base.http, method: 'POST' }, idempotent: true }));
    expect(declared.ok && declared.value.tools[0]?.idempotent).toBe(true);
  });

  it('requires every path placeholder to be a required argument', () => {
    expect(issuesOf(notes({ http: { ...base.http, path: '/pages/{page_id}' } }))).toEqual([
      'tools[0].http.path: {page_id} is not an argument',
      'tools[0].input.properties.pageId: Not sent anywhere by http',
    ]);
    expect(issuesOf(notes({ input: { ...base.input, required: ['text'] } }))).toEqual([
      'tools[0].http.path: {pageId} must be a required argument',
    ]);
    expect(issuesOf(notes({ http: { ...base.http, path: '/pages/{pageId' } }))).toEqual([
      'tools[0].http.path: Malformed placeholder: use {name} or {name+} with an identifier',
    ]);
  });

  it('requires mapped and sensitive argument names to exist, and every argument to be sent', () => {
    const http = { ...base.http, query: { v: 'rev' }, body: { arg: 'content' } };
    expect(issuesOf(notes({ http, sensitiveArguments: ['txt'] }))).toEqual([
      'tools[0].http.query.v: rev is not an argument',
      'tools[0].http.body.arg: content is not an argument',
      'tools[0].input.properties.text: Not sent anywhere by http',
      'tools[0].sensitiveArguments[0]: txt is not an argument',
    ]);
  });

  it('never lets an argument set credentials or framing headers', () => {
    const http = { ...base.http, headers: { Authorization: 'version', cookie: 'text' } };
    expect(issuesOf(notes({ http }))).toEqual([
      'tools[0].http.headers.Authorization: Set by the broker; a tool may not set it',
      'tools[0].http.headers.cookie: Set by the broker; a tool may not set it',
    ]);
  });

  it('requires slugs to start with the toolkit id and to be unique', () => {
    const input = notes({ slug: 'pages.update' });
    expect(issuesOf(input)).toEqual(['tools[0].slug: Must start with "notes." (the toolkit id)']);
    const twice = notes();
    twice.tools.push(base);
    expect(issuesOf(twice)).toEqual(['tools[1].slug: Duplicate of tools[0].slug']);
    expect(issuesOf(notes({ slug: 'notes' }))).toEqual([
      'tools[0].slug: Must be a dotted slug such as acme.tasks.create',
    ]);
  });

  it('refuses an input schema that is not an object of arguments or not valid JSON Schema', () => {
    expect(issuesOf(notes({ input: { ...base.input, oneOf: [{ required: ['text'] }] } }))).toEqual([
      'tools[0].input.oneOf: Not allowed at the top of an input schema',
    ]);
    expect(
      issuesOf(
        notes({ input: { ...base.input, properties: { ...base.input.properties, text: { type: 'txt' } } } }),
      ),
    ).toEqual([expect.stringMatching(/^tools\[0\]\.input: Not a valid JSON Schema 2020-12: /)]);
    expect(issuesOf(notes({ input: { ...base.input, required: ['pageId', 'text', 'title'] } }))).toEqual([
      'tools[0].input.required[2]: title is not in input.properties',
    ]);
  });

  it('refuses a GET with a body, a link-header cursor outside the query, and overlapping body fields', () => {
    expect(issuesOf(notes({ http: { ...base.http, method: 'GET' } }))).toEqual([
      'tools[0].http.body: A GET request has no body',
    ]);
    expect(issuesOf(notes({ pagination: { style: 'link_header', cursorArg: 'version' } }))).toEqual([
      'tools[0].pagination.cursorArg: version must be sent as a query parameter (the next link carries it)',
    ]);
    const fields = { content: 'version', 'content.text': 'text' };
    expect(issuesOf(notes({ http: { ...base.http, headers: {}, body: { fields } } }))).toEqual([
      'tools[0].http.body.fields.content: Conflicts with a path inside it',
    ]);
  });

  it('rejects a typo in a key, naming where it is', () => {
    expect(issuesOf(notes({ http: { ...base.http, qurey: {} } as ToolInput['http'] }))).toEqual([
      'tools[0].http: Unknown key "qurey"',
    ]);
  });
});
