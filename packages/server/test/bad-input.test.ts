import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/db.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// Issue 10 §4: bad input never gives a 500, a crash, a half-written row or a leaked secret.
let gh: TestGatehouse;
let key: string;
let authConfigId: string;
beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  key = (await gh.createProject('bad input')).apiKey;
  const ac = await gh.call('POST', '/v1/auth-configs', {
    key,
    body: { providerId: 'github', clientId: 'client-id', clientSecret: 'client-secret-value' },
  });
  expect(ac.status, ac.text).toBe(201);
  authConfigId = (ac.body as { id: string }).id;
});
afterAll(async () => {
  await gh.close();
  await gh.server.runtime.db.close();
});

type Answer = Awaited<ReturnType<TestGatehouse['call']>>;
const err = (res: Answer) => (res.body as { error: { code: string; message: string } }).error;

function expectError(res: Answer, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(err(res)).toEqual(expect.objectContaining({ code, message: expect.any(String) }));
}

const LIST_ENDPOINTS = [
  '/v1/api-keys',
  '/v1/auth-configs',
  '/v1/connected-accounts',
  '/v1/audit',
  '/v1/approvals',
  '/v1/events',
  '/v1/webhooks',
  '/v1/mcp/servers',
  '/v1/mcp/sessions',
  '/v1/tools',
  '/v1/policies/versions',
];

describe('a malformed cursor is a 400 invalid_cursor on every list', () => {
  for (const path of LIST_ENDPOINTS) {
    it(path, async () => {
      for (const cursor of ['not-a-cursor', '%00', 'AAAA', '////', 'Y2FfMTIz==', 'x'.repeat(150)]) {
        expectError(await gh.call('GET', `${path}?cursor=${cursor}`, { key }), 400, 'invalid_cursor');
      }
    });
  }

  it('the admin projects list too, and a cursor the API issued still pages', async () => {
    expectError(
      await gh.call('GET', '/v1/admin/projects?cursor=zz', { key: gh.adminToken }),
      400,
      'invalid_cursor',
    );
    await gh.call('POST', '/v1/api-keys', { key, body: { name: 'second' } });
    const first = await gh.call('GET', '/v1/api-keys?limit=1', { key });
    const next = (first.body as { nextCursor: string }).nextCursor;
    expect(next).toEqual(expect.any(String));
    const second = await gh.call('GET', `/v1/api-keys?limit=1&cursor=${next}`, { key });
    expect(second.status).toBe(200);
    expect((second.body as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe('NUL and control characters are refused at the boundary (400 invalid_request)', () => {
  it('in path ids', async () => {
    for (const path of [
      '/v1/connected-accounts/%00',
      '/v1/connected-accounts/ca_%01x',
      '/v1/api-keys/ak_%0d%0a',
      '/v1/approvals/ap_x%00/approve',
    ]) {
      const method = path.startsWith('/v1/api-keys') ? 'DELETE' : path.endsWith('approve') ? 'POST' : 'GET';
      expectError(await gh.call(method, path, { key }), 400, 'invalid_request');
    }
  });

  it('in query values', async () => {
    expectError(await gh.call('GET', '/v1/connected-accounts?userId=a%00b', { key }), 400, 'invalid_request');
    expectError(await gh.call('GET', '/v1/tools?search=x%1b', { key }), 400, 'invalid_request');
  });

  it('in JSON string fields and keys, at any depth', async () => {
    const bodies: Array<[string, string, unknown]> = [
      ['POST', '/v1/api-keys', { name: 'a\u0000b' }],
      ['POST', '/v1/api-keys', { name: 'a\u0007b' }],
      ['POST', '/v1/api-keys', { name: 'a\ud800b' }],
      ['POST', '/v1/approvals/ap_x/approve', { approver: 'eve\u0000' }],
      ['POST', '/v1/connect/links', { userId: 'al\u0000ice', authConfigId }],
      [
        'POST',
        '/v1/tools/github.issues.create/execute',
        { userId: 'alice', arguments: { deep: [{ t: 'x\u0000' }] } },
      ],
      ['POST', '/v1/tools/github.issues.create/execute', { userId: 'alice', arguments: { 'k\u0000': 1 } }],
    ];
    for (const [method, path, body] of bodies)
      expectError(await gh.call(method, path, { key, body }), 400, 'invalid_request');
    // The error names where: the first bad string's path, a bad key quoted.
    const at = async (body: unknown) =>
      err(await gh.call('POST', '/v1/tools/github.issues.create/execute', { key, body }))?.message;
    expect(
      await at({ userId: 'alice', arguments: { ok: ['x'], deep: [{ t: 'fine' }, { t: 'x\u0000' }] } }),
    ).toBe('body.arguments.deep.1.t: contains a NUL byte, a control character or an unpaired surrogate');
    expect(await at({ userId: 'alice', arguments: { nested: { 'k\u0001': 1 } } })).toBe(
      'body.arguments.nested."k\\u0001": contains a NUL byte, a control character or an unpaired surrogate',
    );
  });

  it('multi-line text (tab, LF, CR) is still accepted', async () => {
    const res = await gh.call('POST', '/v1/api-keys', { key, body: { name: 'line one\r\n\tline two' } });
    expect(res.status, res.text).toBe(201);
  });

  it('in a hosted page form post (the consent form) and OAuth form posts', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const consent = await gh.call('POST', '/connect/cl_x/start', { body: 'key=a%00b', headers: form });
    expectError(consent, 400, 'invalid_request');
    const decision = await gh.call('POST', '/approvals/ap_x/decision', {
      body: 'key=k&csrf=c%00&decision=approve',
      headers: form,
    });
    expectError(decision, 400, 'invalid_request');
    // OAuth clients get the protocol's own error shape (RFC 6749 §5.2).
    const token = await gh.call('POST', '/as/mcp_x/token', {
      body: 'grant_type=authorization_code&code=a%00b',
      headers: form,
    });
    expect(token.status, token.text).toBe(400);
    expect(token.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  it('left no half-written row', async () => {
    const { rows } = await gh.server.runtime.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM api_keys WHERE name NOT IN ('default', 'second', 'line one\r\n\tline two')",
    );
    expect(rows[0]?.n).toBe(0);
    const links = await gh.server.runtime.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM connect_links',
    );
    expect(links.rows[0]?.n).toBe(0);
  });
});

describe('a deeply nested body is a 400, not a stack overflow', () => {
  it('60,000 nested arrays in a proxy body', async () => {
    const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
    const body = `{"connectedAccountId":"ca_x","method":"POST","path":"/x","body":${deep}}`;
    expectError(await gh.call('POST', '/v1/proxy', { key, body }), 400, 'invalid_json');
  });

  it('nesting inside strings does not count, and ordinary nesting passes', async () => {
    const res = await gh.call('POST', '/v1/api-keys', { key, body: { name: '[[[[{{{{'.repeat(10) } });
    expect(res.status, res.text).toBe(201);
    let nested: unknown = 'leaf';
    for (let i = 0; i < 30; i++) nested = { a: [nested] };
    const ok = await gh.call('POST', '/v1/tools/github.issues.create/execute', {
      key,
      body: { userId: 'nobody', arguments: { nested } },
    });
    expect(ok.status).toBeLessThan(500);
    expect(err(ok).code).not.toBe('invalid_json');
  });
});

describe('proxy headers are the caller’s to get right (400, not 502)', () => {
  const proxy = (headers: Record<string, string>) =>
    gh.call('POST', '/v1/proxy', {
      key,
      body: { connectedAccountId: 'ca_nope', method: 'GET', path: '/user', headers },
    });
  it('an invalid header name', async () => {
    for (const name of ['bad name', 'x:y', 'a"b', '', 'é'])
      expectError(await proxy({ [name]: 'v' }), 400, 'invalid_request');
  });
  it('CR, LF or another control character in a value', async () => {
    for (const value of ['a\r\nx-injected: 1', 'a\nb', 'a\rb', 'a\u0001b', 'snow\u2603man'])
      expectError(await proxy({ 'x-ok': value }), 400, 'invalid_request');
  });
  it('valid headers pass validation (the unknown account is what fails)', async () => {
    const res = await proxy({ 'x-ok': 'value with spaces\tand tab', Accept: 'application/json' });
    expect(res.status).toBe(404);
  });
});

describe('router errors answer in the API’s error shape', () => {
  it('a malformed %-escape in the path', async () => {
    for (const path of ['/v1/connected-accounts/%', '/v1/connected-accounts/%zz', '/v1/api-keys/%E0%A4%A'])
      expectError(await gh.call('GET', path, { key }), 400, 'invalid_path');
  });
  it('a path parameter over the router’s length limit', async () => {
    const res = await gh.call('GET', `/v1/connected-accounts/${'a'.repeat(5000)}`, { key });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(err(res)).toEqual({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('a form-encoded body to a JSON endpoint is a 415 naming application/json', () => {
  it('curl -d without a content type', async () => {
    const res = await gh.call('POST', '/v1/api-keys', {
      key,
      body: '{"name":"from curl"}',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(res, 415, 'unsupported_media_type');
    expect(err(res).message).toMatch(/application\/json/);
  });
  it('hosted pages still take their form posts', async () => {
    const res = await gh.call('POST', '/connect/cl_unknown/start', {
      body: 'key=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
  it('the OAuth token endpoint still takes its form posts', async () => {
    const res = await gh.call('POST', '/as/mcp_unknown/token', {
      body: 'grant_type=authorization_code&code=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'unknown server' });
  });
});

describe('GET /v1/tools pages with limit and cursor', () => {
  it('walks every tool exactly once, in catalog order', async () => {
    // The shipped catalog has more tools than one page of 200 holds: both walks page.
    const walk = async (limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Answer = await gh.call(
          'GET',
          `/v1/tools?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          { key },
        );
        expect(res.status, res.text).toBe(200);
        const page = res.body as { items: Array<{ slug: string }>; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((t) => t.slug));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const expected = await walk(200);
    expect(expected.length).toBeGreaterThan(5);
    expect(new Set(expected).size).toBe(expected.length);
    expect(await walk(4)).toEqual(expected);
  });
  it('refuses limit out of range', async () => {
    expectError(await gh.call('GET', '/v1/tools?limit=0', { key }), 400, 'invalid_request');
    expectError(await gh.call('GET', '/v1/tools?limit=abc', { key }), 400, 'invalid_request');
  });
});

describe('a Connect Link refuses scopes the provider does not declare', () => {
  it('names the unknown scopes', async () => {
    const res = await gh.call('POST', '/v1/connect/links', {
      key,
      body: { userId: 'alice', authConfigId, scopes: ['repo', 'make:coffee', 'admin:everything'] },
    });
    expectError(res, 400, 'unknown_scope');
    expect(err(res).message).toMatch(/make:coffee, admin:everything/);
    expect((res.body as { error: { details: { scopes: string[] } } }).error.details.scopes).toEqual([
      'make:coffee',
      'admin:everything',
    ]);
  });
  it('declared scopes are still fine', async () => {
    const res = await gh.call('POST', '/v1/connect/links', {
      key,
      body: { userId: 'alice', authConfigId, scopes: ['repo', 'read:user'] },
    });
    expect(res.status, res.text).toBe(201);
  });
});
