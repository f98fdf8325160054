import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAuthorization, type Sandbox, startSandbox, type Task } from '../src/index.js';
import {
  api,
  authorizationRequest,
  confidentialClient,
  exchangeCode,
  json,
  type OAuthClient,
  oauthClient,
  signIn,
} from './support.js';

type TaskList = { tasks: Task[]; nextCursor: string | null };

const ALL = 'openid tasks:read tasks:write tasks:delete';
let sandbox: Sandbox;
let app: OAuthClient;
const token = { alice: '', aliceReadOnly: '', bob: '', carol: '' };

beforeAll(async () => {
  sandbox = await startSandbox({ clients: [confidentialClient] });
  app = await oauthClient(sandbox);
  const [alice, aliceReadOnly, bob, carol] = await Promise.all([
    signIn(app, 'alice', ALL),
    signIn(app, 'alice', 'openid tasks:read'),
    signIn(app, 'bob', ALL),
    signIn(app, 'carol', ALL),
  ]);
  Object.assign(token, {
    alice: alice.access_token,
    aliceReadOnly: aliceReadOnly.access_token,
    bob: bob.access_token,
    carol: carol.access_token,
  });
});
afterAll(() => sandbox.close());

const titles = async (bearer: string, query = '') =>
  (await json<TaskList>(await api(sandbox, bearer, 'GET', `/tasks${query}`))).tasks.map((t) => t.title);

describe('who sees which task', () => {
  it("alice sees her tasks and bob's team tasks, not bob's private one", async () => {
    const seen = await titles(token.alice);
    expect(seen).toEqual(
      expect.arrayContaining(['Renew passport', 'Fix flaky login test', 'Review vendor invoice']),
    );
    expect(seen).not.toContain('Book dentist appointment');
    expect(seen).not.toContain('Call Initech about the renewal');
  });

  it("carol, in another team, sees neither of bob's tasks", async () => {
    const seen = await titles(token.carol);
    expect(seen.sort()).toEqual(['Call Initech about the renewal', 'Draft the sales deck']);
  });

  it("answers 404 when alice asks for bob's private task by id", async () => {
    const bobs = await json<TaskList>(await api(sandbox, token.bob, 'GET', '/tasks?visibility=private'));
    const dentist = bobs.tasks.find((t) => t.title === 'Book dentist appointment');
    expect(dentist?.ownerId).toBe('bob');
    expect((await api(sandbox, token.alice, 'GET', `/tasks/${dentist?.id}`)).status).toBe(404);
    expect((await api(sandbox, token.bob, 'GET', `/tasks/${dentist?.id}`)).status).toBe(200);
  });
});

describe('scopes', () => {
  it('a read-only token cannot create a task: 403 insufficient_scope naming the scope', async () => {
    const response = await api(sandbox, token.aliceReadOnly, 'POST', '/tasks', { title: 'Sneaky' });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="tasks:write"',
    );
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
    expect(await titles(token.alice)).not.toContain('Sneaky');
  });

  it('refuses missing, unknown, foreign-audience and foreign-issuer tokens with 401', async () => {
    const missing = await api(sandbox, undefined, 'GET', '/me');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const unknown = await api(sandbox, 'made-up-token', 'GET', '/me');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    // RFC 8707: a token minted for another resource is not for the Tasks API.
    const request = await authorizationRequest(app, 'openid tasks:read', {
      resource: sandbox.otherResourceUrl,
    });
    const callback = await completeAuthorization(request.url, { username: 'alice', password: 'alice-pass' });
    const other = await json<{ access_token: string }>(await exchangeCode(app, request, callback));
    const foreignAudience = await api(sandbox, other.access_token, 'GET', '/tasks');
    expect(foreignAudience.status).toBe(401);
    expect(await foreignAudience.json()).toMatchObject({
      error_description: expect.stringMatching(/another resource/),
    });

    const elsewhere = await startSandbox({ clients: [confidentialClient] });
    try {
      const foreign = await signIn(await oauthClient(elsewhere), 'alice', ALL);
      expect((await api(elsewhere, foreign.access_token, 'GET', '/me')).status).toBe(200);
      expect((await api(sandbox, foreign.access_token, 'GET', '/me')).status).toBe(401);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('task lifecycle', () => {
  it('alice creates, shares, completes and deletes a task; bob may see it but not change it', async () => {
    const created = await api(sandbox, token.alice, 'POST', '/tasks', {
      title: 'Plan the offsite',
      amount: 420,
    });
    expect(created.status).toBe(201);
    const task = await json<Task>(created);
    expect(task).toMatchObject({
      title: 'Plan the offsite',
      notes: '',
      status: 'open',
      visibility: 'private',
    });
    expect(task).toMatchObject({ ownerId: 'alice', team: 'acme-eng', amount: 420 });
    expect((await titles(token.alice))[0]).toBe('Plan the offsite');
    expect(await titles(token.bob)).not.toContain('Plan the offsite');

    const shared = await api(sandbox, token.alice, 'PATCH', `/tasks/${task.id}`, { visibility: 'team' });
    expect(await json<Task>(shared)).toMatchObject({ visibility: 'team', title: 'Plan the offsite' });
    expect(await titles(token.bob)).toContain('Plan the offsite');

    const bobEdit = await api(sandbox, token.bob, 'PATCH', `/tasks/${task.id}`, { status: 'done' });
    expect(bobEdit.status).toBe(403);
    expect((await api(sandbox, token.bob, 'DELETE', `/tasks/${task.id}`)).status).toBe(403);

    const done = await json<Task>(
      await api(sandbox, token.alice, 'PATCH', `/tasks/${task.id}`, { status: 'done' }),
    );
    expect(done.status).toBe('done');
    expect(Date.parse(done.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.updatedAt));

    expect((await api(sandbox, token.aliceReadOnly, 'DELETE', `/tasks/${task.id}`)).status).toBe(403);
    expect((await api(sandbox, token.alice, 'DELETE', `/tasks/${task.id}`)).status).toBe(204);
    expect((await api(sandbox, token.alice, 'GET', `/tasks/${task.id}`)).status).toBe(404);
  });

  it.each([
    ['no title', {}],
    ['an empty title', { title: '  ' }],
    ['a title over 200 characters', { title: 'x'.repeat(201) }],
    ['an unknown field', { title: 'ok', priority: 'high' }],
    ['a bad visibility', { title: 'ok', visibility: 'public' }],
    ['a string amount', { title: 'ok', amount: '12' }],
  ])('rejects a new task with %s (400)', async (_case, body) => {
    const response = await api(sandbox, token.alice, 'POST', '/tasks', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('rejects a non-JSON body and an empty patch', async () => {
    const notJson = await fetch(`${sandbox.apiBaseUrl}/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.alice}`, 'content-type': 'application/json' },
      body: '{title:',
    });
    expect(notJson.status).toBe(400);
    const [first] = (await json<TaskList>(await api(sandbox, token.alice, 'GET', '/tasks'))).tasks;
    expect((await api(sandbox, token.alice, 'PATCH', `/tasks/${first?.id}`, {})).status).toBe(400);
  });
});

describe('listing', () => {
  it('pages newest first with a cursor, without repeats or gaps', async () => {
    const everything = await titles(token.alice, '?limit=100');
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = await json<TaskList>(await api(sandbox, token.alice, 'GET', `/tasks${query}`));
      expect(page.tasks.length).toBeLessThanOrEqual(2);
      paged.push(...page.tasks.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(everything);
    expect(everything.length).toBeGreaterThan(3);
  });

  it('filters by status and visibility, and validates the query', async () => {
    const done = await json<TaskList>(await api(sandbox, token.alice, 'GET', '/tasks?status=done'));
    expect(done.tasks.map((t) => t.title)).toEqual(['Renew passport']);
    const team = await json<TaskList>(await api(sandbox, token.carol, 'GET', '/tasks?visibility=team'));
    expect(team.tasks.map((t) => t.title)).toEqual(['Call Initech about the renewal']);
    expect((await api(sandbox, token.alice, 'GET', '/tasks?limit=101')).status).toBe(400);
    expect((await api(sandbox, token.alice, 'GET', '/tasks?status=maybe')).status).toBe(400);
    expect((await api(sandbox, token.alice, 'GET', '/tasks?cursor=bogus')).status).toBe(400);
  });
});

describe('debug hooks for broker tests', () => {
  it('echoes the request without the authorization and cookie headers', async () => {
    const response = await fetch(`${sandbox.apiBaseUrl}/debug/echo?a=1&b=2&b=3`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token.alice}`,
        cookie: 'session=secret',
        'content-type': 'application/json',
        'x-request-id': 'req-1',
      },
      body: JSON.stringify({ hello: 'world' }),
    });
    const echo = await json<{ headers: Record<string, string> } & Record<string, unknown>>(response);
    expect(echo).toMatchObject({ method: 'POST', path: '/api/debug/echo', query: { a: '1', b: ['2', '3'] } });
    expect(echo.body).toEqual({ hello: 'world' });
    expect(echo.headers['x-request-id']).toBe('req-1');
    expect(echo.headers).not.toHaveProperty('authorization');
    expect(echo.headers).not.toHaveProperty('cookie');
    expect(JSON.stringify(echo)).not.toContain(token.alice);
  });

  it('leaks the bearer token on purpose at /debug/token, only to a valid token', async () => {
    expect(await json(await api(sandbox, token.bob, 'GET', '/debug/token'))).toEqual({ token: token.bob });
    expect((await api(sandbox, 'made-up-token', 'GET', '/debug/token')).status).toBe(401);
  });

  it('leaks it as bytes at /debug/token.bin: the Authorization header, then unaligned base64', async () => {
    const res = await api(sandbox, token.bob, 'GET', '/debug/token.bin');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.includes(Buffer.from(`Authorization: Bearer ${token.bob}\n`))).toBe(true);
    expect(body.includes(Buffer.from(Buffer.from(`\u0001${token.bob}`).toString('base64')))).toBe(true);
  });

  it('redirects wherever it is told', async () => {
    const target = 'http://127.0.0.1:9/elsewhere?x=1';
    const response = await fetch(`${sandbox.apiBaseUrl}/debug/redirect?to=${encodeURIComponent(target)}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(target);
  });
});
