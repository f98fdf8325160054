import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describeEachDatabase('projects and API keys', (t) => {
  let gh: TestGatehouse;
  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
  });
  afterAll(() => gh.close());

  it('an admin creates a project whose key works; the key is shown once and stored only as a hash', async () => {
    const { projectId, apiKey } = await gh.createProject('acme');
    expect(apiKey).toMatch(/^gth_sk_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$/);
    const list = await gh.call('GET', '/v1/api-keys', { key: apiKey });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(apiKey);
    const items = (list.body as { items: Array<{ prefix: string }>; nextCursor: null }).items;
    expect(items).toHaveLength(1);
    expect(apiKey.startsWith(items[0]!.prefix)).toBe(true);
    const { rows } = await t.db().query('SELECT * FROM api_keys WHERE project_id = $1', [projectId]);
    expect(JSON.stringify(rows)).not.toContain(apiKey.slice(20));
    const projects = await gh.call('GET', '/v1/admin/projects?limit=1', { key: gh.adminToken });
    expect(projects.status).toBe(200);
    expect((projects.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('rotates keys: several keys are active at once, a revoked one stops working at once', async () => {
    const { apiKey: first } = await gh.createProject('rotation');
    const created = await gh.call('POST', '/v1/api-keys', { key: first, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    const second = (created.body as { key: string; id: string }).key;
    expect((await gh.call('GET', '/v1/api-keys', { key: second })).status).toBe(200);
    expect((await gh.call('GET', '/v1/api-keys', { key: first })).status).toBe(200);
    const firstId = (
      (await gh.call('GET', '/v1/api-keys', { key: second })).body as {
        items: Array<{ id: string; name: string }>;
      }
    ).items.find((k) => k.name === 'default')!.id;
    const revoked = await gh.call('DELETE', `/v1/api-keys/${firstId}`, { key: second });
    expect(revoked.status).toBe(200);
    expect((revoked.body as { revokedAt: string | null }).revokedAt).not.toBeNull();
    const after = await gh.call('GET', '/v1/api-keys', { key: first });
    expect(after.status).toBe(401);
    expect(errorCode(after.body)).toBe('api_key_revoked');
    expect((await gh.call('GET', '/v1/api-keys', { key: second })).status).toBe(200);
  });

  it('answers missing, malformed, wrong and misplaced credentials with 401/403 JSON errors', async () => {
    const { apiKey } = await gh.createProject('auth');
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['missing', {}, 401, 'unauthorized'],
      [
        'not bearer',
        { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        401,
        'unauthorized',
      ],
      ['malformed key', { authorization: 'Bearer gth_sk_short' }, 401, 'invalid_api_key'],
      ['wrong secret', { authorization: `Bearer ${apiKey.slice(0, -4)}AAAA` }, 401, 'invalid_api_key'],
      ['admin token on a project route', { authorization: `Bearer ${gh.adminToken}` }, 403, 'forbidden'],
    ];
    for (const [label, headers, status, code] of cases) {
      const res = await gh.call('GET', '/v1/api-keys', { headers });
      expect(res.status, label).toBe(status);
      expect(errorCode(res.body), label).toBe(code);
      expect(res.text, label).not.toContain(apiKey);
      if (status === 401) expect(res.headers.get('www-authenticate'), label).toMatch(/^Bearer/);
    }
    const asAdmin = await gh.call('GET', '/v1/admin/projects', { key: apiKey });
    expect(asAdmin.status).toBe(403);
    expect(errorCode(asAdmin.body)).toBe('forbidden');
    const wrongAdmin = await gh.call('GET', '/v1/admin/projects', { key: `gth_admin_${'x'.repeat(40)}` });
    expect(wrongAdmin.status).toBe(401);
  });

  it("one project's key cannot see or revoke another project's keys", async () => {
    const a = await gh.createProject('a');
    const b = await gh.createProject('b');
    const bKeys = (await gh.call('GET', '/v1/api-keys', { key: b.apiKey })).body as {
      items: Array<{ id: string }>;
    };
    const aKeys = (await gh.call('GET', '/v1/api-keys', { key: a.apiKey })).body as {
      items: Array<{ id: string }>;
    };
    expect(aKeys.items.map((k) => k.id)).not.toContain(bKeys.items[0]!.id);
    const res = await gh.call('DELETE', `/v1/api-keys/${bKeys.items[0]!.id}`, { key: a.apiKey });
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe('not_found');
    expect((await gh.call('GET', '/v1/api-keys', { key: b.apiKey })).status).toBe(200);
  });

  it('pages through lists with a cursor', async () => {
    const { apiKey } = await gh.createProject('paging');
    for (let i = 0; i < 4; i++)
      await gh.call('POST', '/v1/api-keys', { key: apiKey, body: { name: `k${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await gh.call('GET', `/v1/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        key: apiKey,
      });
      const page = res.body as { items: Array<{ id: string }>; nextCursor: string | null };
      seen.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort().reverse()).toEqual(seen);
  });
});
