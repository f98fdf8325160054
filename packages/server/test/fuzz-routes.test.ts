import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../src/store/db.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

/**
 * Every route the server registers (read from the Fastify instance, so a new route is covered
 * without touching this file) meets malformed input with valid credentials: wrong types, huge and
 * deeply nested values, NUL and control characters, bad cursors and ids, %-escapes in the path,
 * wrong content types, empty bodies. No answer may be a 5xx, and every error must be in the API's
 * shape `{error: {code, message}}` — or in the protocol's own shape where a protocol prescribes one
 * (hosted HTML pages, OAuth endpoints, the MCP JSON-RPC endpoint). Deterministic: one seeded PRNG.
 */

const SECRET = 'fuzz-client-secret-value-0123456789';
let gh: TestGatehouse;
let key: string;
const ids: Record<string, string> = {};

/** mulberry32: a small, seeded, reproducible PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic value for a path parameter, so some cases reach past the lookup. */
function realParam(url: string, name: string): string {
  if (name === 'slug') return 'github.issues.create';
  if (name === 'version') return '1';
  if (name === 'serverId') return ids.mcpServer!;
  if (name === 'sessionId') return ids.mcpSession!;
  if (url.startsWith('/v1/api-keys')) return ids.apiKey!;
  if (url.startsWith('/v1/auth-configs')) return ids.authConfig!;
  if (url.startsWith('/v1/webhooks')) return ids.webhook!;
  if (url.startsWith('/v1/mcp/servers')) return ids.mcpServer!;
  if (url.startsWith('/v1/mcp/sessions')) return ids.mcpSession!;
  if (url.startsWith('/v1/providers')) return 'fuzz-provider';
  if (url.includes('connect')) return ids.connectLink!;
  return 'ca_0000000000000000000000000';
}

// Path segments as they appear on the wire (already %-encoded where meant to be).
const BAD_SEGMENTS = [
  '%00',
  '%',
  '%zz',
  '%25',
  '%0d%0a',
  '%01x',
  '%7f',
  '%ff',
  '%ED%A0%80', // an encoded lone surrogate
  '%E2%80%AE',
  '..%2F..%2Fetc%2Fpasswd',
  "x'%20OR%201=1--",
  'a'.repeat(101),
  'a'.repeat(3000),
  '0',
  '-1',
  '99999999999999999999',
  '%F0%9F%98%80',
];

const BAD_QUERIES = [
  'cursor=garbage',
  'cursor=%00',
  'cursor=Y2FfMQ',
  `cursor=${'A'.repeat(500)}`,
  'limit=0',
  'limit=-1',
  'limit=1e999',
  'limit=abc',
  'limit=1&limit=2',
  'userId=%00',
  `userId=${'u'.repeat(10_000)}`,
  'userId=a%0d%0ab',
  'since=not-a-date',
  'since=99999-99-99',
  'status=%ff',
  'toolkits=,,,',
  'search=%ED%A0%80',
  'key=%00',
  'request=%00',
  'assertion=%00',
  'code=%00&state=%00',
  'unknown[]=1&unknown[x]=2',
];

const FIELDS = [
  'name',
  'userId',
  'authConfigId',
  'scopes',
  'arguments',
  'body',
  'headers',
  'query',
  'method',
  'path',
  'url',
  'events',
  'policies',
  'text',
  'approver',
  'key',
  'csrf',
  'decision',
  'providerId',
  'clientId',
  'clientSecret',
  'label',
  'callbackUrl',
  'connectedAccountId',
  'tools',
  'toolkits',
  'limits',
  'rules',
  'grant_type',
  'code',
  'redirect_uris',
  'client_name',
  'jsonrpc',
  'id',
  'params',
  'serverId',
  'expiresIn',
  'idempotencyKey',
  'userAttributes',
  'approvalId',
  'defaultScopes',
  'allowedScopes',
  'branding',
  'settings',
  'definition',
  'oauth2',
  'api',
  'state',
  'request',
  'resource',
  'token',
];

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

function nastyValue(rand: () => number): unknown {
  const pool: Array<() => unknown> = [
    () => null,
    () => -1,
    () => 1e308,
    () => 0.5,
    () => true,
    () => '',
    () => 'x'.repeat(20_000),
    () => 'a\u0000b',
    () => '\u0001\u001b[31m\u007f',
    () => 'line\r\nInjected: 1',
    () => '\ud800',
    () => '\u202e\ufeff',
    () => '../../etc/passwd',
    () => 'javascript:alert(1)',
    () => 'http://169.254.169.254/latest/meta-data',
    () => '%00',
    () => [],
    () => Array.from({ length: 2000 }, (_, i) => i),
    () => ['a\u0000', 1, null],
    () => ({}),
    () => ({ 'k\u0000': 1 }),
    () => nested(40),
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => 'GET',
    () => '/user',
    () => 'github.issues.create',
    () => ids.authConfig,
  ];
  return pool[Math.floor(rand() * pool.length)]!();
}

interface Case {
  label: string;
  path: string;
  body?: string | undefined;
  contentType?: string | undefined;
}

/**
 * Valid bodies for routes whose schemas a random object would fail at the first key: each field is
 * replaced in turn by nasty values, so validation of every field (and what lies behind it) is
 * reached. Routes without a seed still get every generic case.
 */
function seeds(): Record<string, Record<string, unknown>> {
  const provider = JSON.parse(
    readFileSync(new URL('../../catalog/providers/github.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  delete provider.$schema;
  return {
    'POST /v1/admin/projects': { name: 'p' },
    'POST /v1/api-keys': { name: 'k' },
    'POST /v1/auth-configs': {
      providerId: 'github',
      clientId: 'c',
      clientSecret: 's',
      defaultScopes: ['repo'],
    },
    'PATCH /v1/auth-configs/:id': {
      name: 'n',
      defaultScopes: ['repo'],
      allowedScopes: ['repo', 'read:user'],
    },
    'PUT /v1/providers/:id': { ...provider, id: 'fuzz-provider' },
    'POST /v1/connect/links': {
      userId: 'alice',
      authConfigId: ids.authConfig,
      scopes: ['repo'],
      label: 'work',
      callbackUrl: 'https://example.com/cb',
      tools: ['github.issues.create'],
    },
    'POST /v1/tools/:slug/execute': {
      userId: 'alice',
      arguments: { owner: 'o', repo: 'r', title: 't' },
      idempotencyKey: 'k1',
      userAttributes: { tier: 'gold' },
    },
    'POST /v1/proxy': {
      connectedAccountId: 'ca_0000000000000000000000000',
      method: 'POST',
      path: '/user',
      query: { a: 'b', c: ['d'] },
      headers: { 'x-a': 'b' },
      body: { a: 1 },
    },
    'PUT /v1/policies': {
      sets: [{ name: 'base', mode: 'enforce', policies: 'permit(principal, action, resource);' }],
      userAttributes: { tier: 'String?' },
    },
    'POST /v1/policies/test': {
      request: {
        userId: 'alice',
        tool: 'github.issues.create',
        arguments: { owner: 'o', repo: 'r', title: 't' },
        time: '2026-01-01T00:00:00Z',
      },
    },
    'PUT /v1/limits': {
      rateLimits: [{ per: 'user', limit: 60, windowSeconds: 60 }],
      budgets: {},
    },
    'POST /v1/webhooks': { url: 'https://example.com/hook', events: ['connection.active'] },
    'POST /v1/mcp/servers': {
      name: 's',
      toolkits: ['github'],
      login: { type: 'dev' },
      allowedOrigins: ['https://a.example'],
    },
    'PATCH /v1/mcp/servers/:id': { name: 's2', toolkits: ['github'] },
    'POST /v1/mcp/sessions': { userId: 'bob', toolkits: ['github'], expiresIn: 600 },
    'POST /v1/approvals/:id/approve': { approver: 'admin@example.com' },
    'POST /as/:serverId/register': {
      redirect_uris: ['https://client.example/cb'],
      client_name: 'c',
      token_endpoint_auth_method: 'none',
    },
    'POST /mcp/u/:sessionId': {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'github.issues.create', arguments: { owner: 'o', repo: 'r', title: 't' } },
    },
  };
}

const FIELD_MUTANTS: unknown[] = [
  'a\u0000b',
  '\ud800',
  'x'.repeat(20_000),
  123,
  null,
  [],
  {},
  nested(40),
  '\u001b[2J',
];

function mutantsOf(seed: Record<string, unknown>, rand: () => number): Case[] {
  const out: Case[] = [
    { label: 'the valid seed', path: '', body: JSON.stringify(seed), contentType: 'application/json' },
  ];
  const add = (label: string, value: unknown) =>
    out.push({ label, path: '', body: JSON.stringify(value), contentType: 'application/json' });
  for (const [k, v] of Object.entries(seed)) {
    for (const m of [...FIELD_MUTANTS.slice(0, 2), nastyValue(rand), nastyValue(rand)])
      add(`${k}=mutant`, { ...seed, [k]: m });
    // One level down: every field of a nested object or the first element of an array.
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const k2 of Object.keys(v))
        add(`${k}.${k2}=mutant`, { ...seed, [k]: { ...v, [k2]: nastyValue(rand) } });
    if (Array.isArray(v) && v.length > 0)
      add(`${k}[0]=mutant`, { ...seed, [k]: [nastyValue(rand), ...v.slice(1)] });
  }
  return out;
}

function bodiesFor(rand: () => number): Case[] {
  const json = (label: string, value: unknown): Case => ({
    label,
    path: '',
    body: JSON.stringify(value),
    contentType: 'application/json',
  });
  const fixed: Case[] = [
    { label: 'no body', path: '' },
    { label: 'empty JSON body', path: '', body: '', contentType: 'application/json' },
    { label: 'malformed JSON', path: '', body: '{"a": ', contentType: 'application/json' },
    {
      label: 'JSON with a raw NUL escape',
      path: '',
      body: '{"name":"a\\u0000b"}',
      contentType: 'application/json',
    },
    {
      label: 'JSON lone surrogate escape',
      path: '',
      body: '{"name":"\\udc00"}',
      contentType: 'application/json',
    },
    {
      label: '__proto__ key',
      path: '',
      body: '{"__proto__":{"admin":true}}',
      contentType: 'application/json',
    },
    {
      label: '60,000 nested arrays',
      path: '',
      body: `{"body":${'['.repeat(60_000)}${']'.repeat(60_000)}}`,
      contentType: 'application/json',
    },
    json('null', null),
    json('array', [1, 2]),
    json('string', 'str'),
    json('number', 42),
    json('empty object', {}),
    json('nested 65 deep', { arguments: nested(65) }),
    {
      label: 'form-encoded JSON (curl -d)',
      path: '',
      body: '{"name":"x"}',
      contentType: 'application/x-www-form-urlencoded',
    },
    {
      label: 'form with NUL',
      path: '',
      body: 'key=a%00b&csrf=%00&decision=approve&grant_type=%00',
      contentType: 'application/x-www-form-urlencoded',
    },
    { label: 'text/plain', path: '', body: 'hello', contentType: 'text/plain' },
    { label: 'octet-stream', path: '', body: '\u0000\u0001\u0002', contentType: 'application/octet-stream' },
    {
      label: 'multipart',
      path: '',
      body: '--x\r\n\r\n--x--',
      contentType: 'multipart/form-data; boundary=x',
    },
    { label: 'json, unknown charset', path: '', body: '{}', contentType: 'application/json; charset=ebcdic' },
  ];
  const random: Case[] = [];
  for (let i = 0; i < 14; i++) {
    const obj: Record<string, unknown> = {};
    const n = 1 + Math.floor(rand() * 6);
    for (let j = 0; j < n; j++) obj[FIELDS[Math.floor(rand() * FIELDS.length)]!] = nastyValue(rand);
    random.push(json(`random object #${i} (${Object.keys(obj).join(',')})`, obj));
  }
  return [...fixed, ...random];
}

/** The routes the server registered, with HEAD folded into GET (Fastify adds it for every GET). */
/** Valid credentials, so validation is reached: admin token, an MCP URL's credential, or the project key. */
function credentialFor(url: string): string {
  if (url.startsWith('/v1/admin')) return gh.adminToken;
  if (url.startsWith('/mcp/u/')) return ids.mcpCredential!;
  return key;
}

function routeTable(): Array<{ method: string; url: string }> {
  const seen = new Set<string>();
  const routes = gh.server.app.routeTable.filter((r) => {
    const id = `${r.method} ${r.url}`;
    if (r.method === 'HEAD' || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  // DELETEs last, so the fixtures other routes' cases point at exist while those run.
  return [...routes.filter((r) => r.method !== 'DELETE'), ...routes.filter((r) => r.method === 'DELETE')];
}

let SEEDS: Record<string, Record<string, unknown>> = {};

function casesFor(method: string, url: string, rand: () => number): Case[] {
  const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const fill = (bad?: { name: string; value: string }) =>
    url
      .replace(/:(\w+)/g, (_, n: string) =>
        bad && n === bad.name ? bad.value : encodeURIComponent(realParam(url, n)),
      )
      .replace(/\*$/, 'anything');
  const cases: Case[] = [];
  for (const name of names)
    for (const value of BAD_SEGMENTS)
      cases.push({ label: `:${name}=${value.slice(0, 20)}`, path: fill({ name, value }) });
  for (const q of BAD_QUERIES) cases.push({ label: `?${q.slice(0, 30)}`, path: `${fill()}?${q}` });
  if (method !== 'GET' && method !== 'OPTIONS') {
    for (const b of bodiesFor(rand)) cases.push({ ...b, path: fill() });
    const seed = SEEDS[`${method} ${url}`];
    if (seed) for (const b of mutantsOf(seed, rand)) cases.push({ ...b, path: fill() });
  }
  return cases;
}

type Family = 'api' | 'page' | 'oauth' | 'jsonrpc';

/** Which error shapes a route may answer in: the API's, or the one its protocol prescribes. */
function familyOf(url: string): Family {
  if (url.startsWith('/mcp/')) return 'jsonrpc';
  if (
    url.startsWith('/.well-known/') ||
    /^\/as\/[^/]+\/(token|revoke|register|\.well-known)/.test(url) ||
    /^\/v1\/projects\/[^/]+\/token$/.test(url) // the delegation token endpoint (RFC 8693)
  )
    return 'oauth';
  if (
    url.startsWith('/as/') ||
    url.startsWith('/connect/') ||
    url.startsWith('/approvals/') ||
    url.startsWith('/console/') ||
    url.startsWith('/my/') ||
    url === '/oauth/callback'
  )
    return 'page';
  return 'api';
}

function shapeProblem(family: Family, status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `status ${status}`;
  if (status < 400) return undefined;
  if (family === 'page' && contentType.startsWith('text/html')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `non-JSON error body (${contentType}): ${text.slice(0, 120)}`;
  }
  const e = (body as { error?: unknown }).error;
  const api =
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string';
  if (api) return undefined;
  if ((family === 'oauth' || family === 'page') && typeof e === 'string') return undefined;
  if (
    family === 'jsonrpc' &&
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'number'
  )
    return undefined;
  return `error body not {error:{code,message}}: ${text.slice(0, 160)}`;
}

async function setUp(db: Db): Promise<void> {
  gh = await startTestGatehouse(db);
  key = (await gh.createProject('fuzz')).apiKey;
  const created = async (path: string, body: unknown) => {
    const res = await gh.call('POST', path, { key, body });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body as { id: string };
  };
  ids.authConfig = (
    await created('/v1/auth-configs', { providerId: 'github', clientId: 'c', clientSecret: SECRET })
  ).id;
  // A second key, so fuzzed DELETEs revoke it and not the key the fuzzer authenticates with.
  ids.apiKey = (await created('/v1/api-keys', { name: 'victim' })).id;
  ids.webhook = (await created('/v1/webhooks', { url: 'https://example.com/hook' })).id;
  ids.mcpServer = (
    await created('/v1/mcp/servers', { name: 'fuzz', toolkits: ['github'], login: { type: 'dev' } })
  ).id;
  const session = (await created('/v1/mcp/sessions', { userId: 'alice', toolkits: ['github'] })) as {
    id: string;
    credential: string;
  };
  ids.mcpSession = session.id;
  ids.mcpCredential = session.credential;
  ids.connectLink = (
    await created('/v1/connect/links', { userId: 'alice', authConfigId: ids.authConfig })
  ).id;
}

describeEachDatabase('fuzzing every route with malformed input', (t) => {
  beforeAll(() => setUp(t.db()));
  afterAll(() => gh?.close());

  it('never answers 5xx, always in an error shape, never echoes a secret', async () => {
    const started = Date.now();
    const rand = prng(0x9a7e);
    const routes = routeTable();
    SEEDS = seeds();
    // Every seed names a real route (a renamed route must not silently lose its deeper cases).
    for (const id of Object.keys(SEEDS)) expect(routes.map((r) => `${r.method} ${r.url}`)).toContain(id);
    // Sanity: the table is the real one (the API, hosted pages, OAuth and MCP endpoints).
    expect(routes.length).toBeGreaterThan(60);
    const problems: string[] = [];
    let sent = 0;
    for (const { method, url } of routes) {
      for (const c of casesFor(method, url, rand)) {
        const headers: Record<string, string> = {
          authorization: `Bearer ${credentialFor(url)}`,
        };
        if (c.contentType) headers['content-type'] = c.contentType;
        if (url.startsWith('/mcp/')) headers.accept = 'application/json, text/event-stream';
        const res = await fetch(`${gh.url}${c.path}`, {
          method,
          headers,
          ...(c.body === undefined ? {} : { body: c.body }),
        });
        const text = await res.text();
        sent++;
        const problem = shapeProblem(familyOf(url), res.status, res.headers.get('content-type') ?? '', text);
        if (problem) problems.push(`${method} ${url} [${c.label}] → ${res.status}: ${problem}`);
        if ([SECRET, key, gh.adminToken, ids.mcpCredential!].some((secret) => text.includes(secret)))
          problems.push(`${method} ${url} [${c.label}] echoed a secret`);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`fuzzed ${routes.length} routes with ${sent} requests in ${seconds.toFixed(1)} s`);
    expect(problems.slice(0, 40)).toEqual([]);
    expect(gh.logs.text()).not.toContain('unhandled error');
    // The project key still works: no fuzzed request revoked or corrupted it.
    expect((await gh.call('GET', '/v1/api-keys', { key })).status).toBe(200);
  }, 120_000);
});
