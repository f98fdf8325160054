import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  compileArgumentValidator,
  getBuiltInTool,
  linkTarget,
  nextPageArguments,
  parseToolkit,
  shapeOutput,
  type ToolDefinition,
  type ToolInput,
} from '../src/index.js';

function acme(slug: string): ToolDefinition {
  const found = getBuiltInTool(slug);
  if (!found) throw new Error(`${slug} is not shipped`);
  return found.tool;
}

/** One tool in a throwaway toolkit, parsed like any other. */
function tool(partial: Pick<ToolInput, 'input' | 'http'> & Partial<ToolInput>): ToolDefinition {
  const parsed = parseToolkit({
    id: 'repo',
    displayName: 'Repo',
    provider: 'github',
    tools: [{ slug: 'repo.files.get', name: 'x', description: 'x', scopes: [], risk: 'read', ...partial }],
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.tools[0]!;
}

function request(t: ToolDefinition, args: Record<string, unknown>) {
  const built = buildRequest(t, args);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

const files = tool({
  input: {
    type: 'object',
    properties: {
      owner: { type: 'string' },
      path: { type: 'string' },
      ref: { type: 'string' },
      labels: { type: 'array', items: { type: 'string' } },
      page: { type: 'integer' },
      etag: { type: 'string' },
    },
    required: ['owner', 'path'],
  },
  http: {
    method: 'GET',
    path: '/repos/{owner}/contents/{path+}',
    query: { ref: 'ref', 'labels[]': 'labels', page: 'page' },
    headers: { 'If-None-Match': 'etag' },
  },
  pagination: { style: 'link_header', cursorArg: 'page' },
});

describe('validating arguments', () => {
  const validate = compileArgumentValidator(acme('acme.tasks.create'));

  it('names the failing argument in every message', () => {
    const result = validate({ title: '', visibility: 'public', foo: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_arguments');
    expect(result.error.issues).toEqual([
      { path: 'arguments', message: "unknown property 'foo'" },
      { path: 'arguments.title', message: 'must NOT have fewer than 1 characters' },
      { path: 'arguments.title', message: 'must match pattern "\\S"' },
      { path: 'arguments.visibility', message: 'must be one of "private", "team"' },
    ]);
    expect(result.error.message).toContain("arguments: unknown property 'foo'");
  });

  it('reports a missing required argument at the arguments object, and wrong types by name', () => {
    expect(validate({})).toEqual({
      ok: false,
      error: {
        code: 'invalid_arguments',
        message: "arguments: must have required property 'title'",
        issues: [{ path: 'arguments', message: "must have required property 'title'" }],
      },
    });
    const wrong = validate({ title: 'Pay rent', amount: '12' });
    expect(!wrong.ok && wrong.error.message).toBe('arguments.amount: must be number or null');
    const nested = compileArgumentValidator(files)({ owner: 'o', path: 'p', labels: ['bug', 7] });
    expect(!nested.ok && nested.error.message).toBe('arguments.labels[1]: must be string');
  });

  it('accepts valid arguments as they are, and no arguments for a tool without parameters', () => {
    const args = { title: 'Pay rent', amount: null };
    expect(validate(args)).toEqual({ ok: true, value: args });
    expect(compileArgumentValidator(acme('acme.me.get'))(undefined)).toEqual({ ok: true, value: {} });
    expect(compileArgumentValidator(acme('acme.me.get'))('me').ok).toBe(false);
  });
});

describe('building the upstream request', () => {
  it('keeps a path value inside its segment, whatever it contains', () => {
    const get = acme('acme.tasks.get');
    expect(request(get, { id: '../admin' }).path).toBe('/tasks/..%2Fadmin');
    expect(request(get, { id: 'a b?c=d#e' }).path).toBe('/tasks/a%20b%3Fc%3Dd%23e');
    // `..` and `.` would be removed by URL resolution even when percent-encoded, so they are refused.
    for (const id of ['..', '.', '']) {
      const built = buildRequest(get, { id });
      expect(built.ok ? built.value : built.error.issues[0]?.path).toBe('arguments.id');
    }
  });

  it('lets a greedy placeholder span segments, encoding each, but never climb', () => {
    expect(request(files, { owner: 'octo cat', path: 'docs/read me.md' }).path).toBe(
      '/repos/octo%20cat/contents/docs/read%20me.md',
    );
    const climbing = buildRequest(files, { owner: 'o', path: 'docs/../../admin' });
    expect(!climbing.ok && climbing.error.message).toBe(
      'arguments.path: must not be a relative path segment',
    );
  });

  it('encodes the query, repeats arrays and leaves out absent arguments', () => {
    expect(
      request(files, { owner: 'o', path: 'a', ref: 'feature/x&y=1', labels: ['bug', 'good first'] }).path,
    ).toBe('/repos/o/contents/a?ref=feature%2Fx%26y%3D1&labels%5B%5D=bug&labels%5B%5D=good%20first');
    const list = acme('acme.tasks.list');
    expect(request(list, {})).toEqual({ method: 'GET', path: '/tasks', headers: {}, body: undefined });
    expect(request(list, { status: 'open', limit: 5 }).path).toBe('/tasks?status=open&limit=5');
  });

  it('maps headers and refuses a value that would start a new header', () => {
    expect(request(files, { owner: 'o', path: 'a', etag: 'W/"1"' }).headers).toEqual({
      'If-None-Match': 'W/"1"',
    });
    const smuggled = buildRequest(files, {
      owner: 'o',
      path: 'a',
      etag: 'x\r\nAuthorization: Bearer stolen',
    });
    expect(!smuggled.ok && smuggled.error.message).toBe('arguments.etag: is not a valid header value');
  });

  it('builds a JSON body from fields, keeping null (clear the value) and leaving out absent fields', () => {
    expect(request(acme('acme.tasks.update'), { id: 't1', status: 'done', amount: null })).toEqual({
      method: 'PATCH',
      path: '/tasks/t1',
      headers: { 'content-type': 'application/json' },
      body: { status: 'done', amount: null },
    });
    const nested = tool({
      input: { type: 'object', properties: { title: { type: 'string' }, labels: {} }, required: ['title'] },
      http: {
        method: 'POST',
        path: '/issues',
        body: { fields: { 'issue.title': 'title', 'issue.meta.labels': 'labels' } },
      },
    });
    expect(request(nested, { title: 'Bug', labels: ['a'] }).body).toEqual({
      issue: { title: 'Bug', meta: { labels: ['a'] } },
    });
    expect(request(acme('acme.tasks.delete'), { id: 't1' })).toEqual({
      method: 'DELETE',
      path: '/tasks/t1',
      headers: {},
      body: undefined,
    });
  });

  it('sends one argument as the whole body', () => {
    const raw = tool({
      input: { type: 'object', properties: { body: { type: 'array' } }, required: ['body'] },
      http: { method: 'PUT', path: '/labels', body: { arg: 'body' } },
    });
    expect(request(raw, { body: ['bug', 'ui'] }).body).toEqual(['bug', 'ui']);
  });
});

describe('shaping the upstream answer', () => {
  const issues = [
    {
      number: 1,
      title: 'Bug',
      user: { login: 'alice', id: 9 },
      labels: [{ name: 'bug', color: 'f00' }],
      url: 'u1',
    },
    { number: 2, title: 'Idea', user: { login: 'bob', id: 8 }, labels: [], url: 'u2' },
  ];

  it('selects the root, picks paths per item (through arrays) and renames', () => {
    const shaped = tool({
      ...files,
      output: {
        root: 'data.items',
        pick: ['number', 'title', 'user.login', 'labels.name'],
        rename: { 'user.login': 'author' },
      },
    });
    const body = { data: { items: issues } };
    expect(shapeOutput(shaped, body, {}).data).toEqual([
      { number: 1, title: 'Bug', labels: [{ name: 'bug' }], author: 'alice' },
      { number: 2, title: 'Idea', labels: [], author: 'bob' },
    ]);
    // The caller's body is not modified.
    expect(body.data.items[0]?.user).toEqual({ login: 'alice', id: 9 });
  });

  it('renames are order-independent: a rename onto a parent does not hide its siblings', () => {
    const shaped = tool({
      ...files,
      output: { rename: { 'team.key': 'team', 'team.id': 'teamId' } },
    });
    expect(shapeOutput(shaped, { id: 'i1', team: { id: 't1', key: 'ENG' } }, {}).data).toEqual({
      id: 'i1',
      team: 'ENG',
      teamId: 't1',
    });
  });

  it('returns the body unchanged without output rules, and null for an empty or missing part', () => {
    expect(shapeOutput(acme('acme.tasks.get'), { id: 't1' }, {}).data).toEqual({ id: 't1' });
    expect(shapeOutput(acme('acme.tasks.delete'), undefined, {})).toEqual({ data: null, nextCursor: null });
    expect(shapeOutput(acme('acme.tasks.list'), { error: 'x' }, {}).data).toBeNull();
  });

  it('reads the next cursor from the body for cursor pagination', () => {
    const list = acme('acme.tasks.list');
    expect(shapeOutput(list, { tasks: [{ id: 't1' }], nextCursor: 'c2VxOjM' }, {})).toEqual({
      data: [{ id: 't1' }],
      nextCursor: 'c2VxOjM',
    });
    expect(shapeOutput(list, { tasks: [], nextCursor: null }, {}).nextCursor).toBeNull();
  });

  it('reads the next page from an RFC 8288 Link header and turns it back into arguments', () => {
    const link =
      '<https://api.github.com/repositories/1/issues?per_page=2&page=1>; rel="prev", ' +
      '<https://api.github.com/repositories/1/issues?per_page=2&page=3>; rel="next", ' +
      '<https://api.github.com/repositories/1/issues?per_page=2&page=9>; rel="last"';
    const { nextCursor } = shapeOutput(files, issues, { Link: link });
    expect(nextCursor).toBe('3');
    expect(nextPageArguments(files, { owner: 'o', path: 'a', page: 2 }, '3')).toEqual({
      owner: 'o',
      path: 'a',
      page: 3,
    });
    expect(shapeOutput(files, issues, { link: link.split(', ').slice(-1)[0] }).nextCursor).toBeNull();
    expect(shapeOutput(files, issues, {}).nextCursor).toBeNull();
  });

  it('parses relation types case-insensitively and among several', () => {
    expect(linkTarget('</p?page=2>; title="a, b"; REL="prefetch Next"', 'next')).toBe('/p?page=2');
    expect(linkTarget('<https://x.example/a>; rel=next', 'next')).toBe('https://x.example/a');
    expect(linkTarget('<https://x.example/a>; rel="nextpage"', 'next')).toBeNull();
  });

  it('guesses the next page number for page pagination while pages are not empty', () => {
    const paged = tool({ ...files, pagination: { style: 'page', pageArg: 'page' } });
    expect(shapeOutput(paged, issues, {}, { page: 4 }).nextCursor).toBe('5');
    expect(shapeOutput(paged, issues, {}).nextCursor).toBe('2');
    expect(shapeOutput(paged, [], {}, { page: 4 }).nextCursor).toBeNull();
  });
});
