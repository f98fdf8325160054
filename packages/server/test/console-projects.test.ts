import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorRole } from '../src/console/roles.js';
import type { SignInMethod } from '../src/console/sessions.js';
import { openPglite } from '../src/store/db.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

/**
 * Tenancy of the console's Projects page over plain HTTP: only a session opened with the admin
 * token lists, creates or opens projects; every other session is refused whatever its role and
 * CSRF token, and stays bound to its project.
 */
describe('console projects: instance admin only', () => {
  let gh: TestGatehouse;
  let a: { projectId: string; apiKey: string };
  let b: { projectId: string; apiKey: string };

  interface Browserish {
    cookie: string;
    get(path: string): Promise<{ status: number; location: string | null; html: string }>;
    post(
      path: string,
      form: Record<string, string>,
    ): Promise<{ status: number; location: string | null; html: string; cookie?: string }>;
  }

  /** A client holding one console session cookie (as a browser would), set by hand. */
  function client(cookie: string): Browserish {
    const send = async (path: string, init: RequestInit) => {
      const res = await fetch(`${gh.url}${path}`, {
        ...init,
        redirect: 'manual',
        headers: { ...init.headers, cookie: `gatehouse_console=${cookie}` },
      });
      const set = /gatehouse_console=([A-Za-z0-9]+)/.exec(res.headers.get('set-cookie') ?? '');
      return {
        status: res.status,
        location: res.headers.get('location'),
        html: await res.text(),
        ...(set ? { cookie: set[1] } : {}),
      };
    };
    return {
      cookie,
      get: (path) => send(path, { method: 'GET' }),
      post: (path, form) =>
        send(path, {
          method: 'POST',
          body: new URLSearchParams(form).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
    };
  }

  const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const projectCount = async () => {
    const res = await gh.call('GET', '/v1/admin/projects?limit=200', { key: gh.adminToken });
    return (res.body as { items: unknown[] }).items.length;
  };

  /** A session as a sign-in would open it: the method and role are what the test is about. */
  async function session(method: SignInMethod, projectId: string | null, role: OperatorRole = 'admin') {
    const operator = method === 'admin_token' ? 'admin_token' : `${method}:someone`;
    const { token, session: s } = await gh.server.runtime.consoleSessions.open({
      projectId,
      operator,
      operatorName: operator,
      method,
      apiKeyId: null,
      role,
    });
    return { c: client(token), csrf: s.csrf, expiresAt: s.expiresAt };
  }

  beforeAll(async () => {
    gh = await startTestGatehouse(await openPglite());
    a = await gh.createProject('tenant a');
    b = await gh.createProject('tenant b');
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
    await gh?.server.runtime.db.close();
  });

  it.each([
    ['oidc', 'admin'],
    ['api_key', 'admin'],
  ] as const)(
    'a %s session (%s) is refused the page and every post, and stays in its project',
    async (method, role) => {
      const { c, csrf } = await session(method, a.projectId, role);
      const before = await projectCount();
      expect((await c.get('/console/projects')).status).toBe(403);
      expect((await c.get('/console/users')).html).not.toContain('href="/console/projects"');
      expect((await c.post('/console/projects', { csrf, name: 'smuggled' })).status).toBe(403);
      const open = await c.post('/console/projects/open', { csrf, projectId: b.projectId });
      expect(open.status).toBe(403);
      expect(open.cookie).toBeUndefined();
      expect(await projectCount()).toBe(before);
      const users = await c.get('/console/users');
      expect(users.status).toBe(200);
      expect(users.html).toContain(`<code>${a.projectId}</code>`);
      expect(users.html).not.toContain(b.projectId);
    },
  );

  it('only an admin token session may exist without a project (the code and the table refuse others)', async () => {
    await expect(session('oidc', null)).rejects.toThrow(/without a project/);
    await expect(
      gh.server.runtime.db.query(
        `INSERT INTO console_sessions (id, project_id, operator, operator_name, method, role, csrf, expires_at)
         VALUES ('x', NULL, 'key:k', 'k', 'api_key', 'admin', 'c', now() + interval '1 hour')`,
      ),
    ).rejects.toThrow(/console_sessions_project_or_admin_token/);
  });

  it('an admin token session without a project: project pages lead to Projects, project posts get 409', async () => {
    const { c, csrf } = await session('admin_token', null);
    expect((await c.get('/console/users')).location).toBe('/console/projects');
    expect((await c.get('/console/audit/export')).location).toBe('/console/projects');
    expect((await c.post('/console/keys', { csrf, name: 'k', role: 'admin' })).status).toBe(409);
    const page = await c.get('/console/projects');
    expect(page.status).toBe(200);
    expect(page.html).toContain('no project open');
  });

  it('a viewer admin token session may open a project but not create one', async () => {
    const { c, csrf } = await session('admin_token', null, 'viewer');
    expect((await c.get('/console/projects')).html).not.toContain('Create a project');
    const before = await projectCount();
    expect((await c.post('/console/projects', { csrf, name: 'nope' })).status).toBe(403);
    expect(await projectCount()).toBe(before);
    const open = await c.post('/console/projects/open', { csrf, projectId: b.projectId });
    expect(open.status).toBe(303);
    const users = await client(open.cookie!).get('/console/users');
    expect(users.html).toContain(`<code>${b.projectId}</code>`);
    expect(users.html).toContain('viewer');
  });

  it('opening a project replaces the session: the old cookie and CSRF token stop working, the expiry stays', async () => {
    const { c, csrf, expiresAt } = await session('admin_token', a.projectId);
    expect((await c.post('/console/projects/open', { csrf, projectId: 'prj_nosuch' })).status).toBe(404);
    const open = await c.post('/console/projects/open', { csrf, projectId: b.projectId });
    expect(open.status).toBe(303);
    expect(open.location).toBe('/console/users');
    expect(open.cookie).toBeDefined();
    expect(open.cookie).not.toBe(c.cookie);
    expect((await c.get('/console/users')).location).toBe('/console/sign-in');
    const next = client(open.cookie!);
    const reopened = await gh.server.runtime.consoleSessions.get(open.cookie);
    expect(reopened?.projectId).toBe(b.projectId);
    expect(reopened?.expiresAt.getTime()).toBe(expiresAt.getTime());
    // The old binding's CSRF token is refused under the new session.
    expect((await next.post('/console/projects/open', { csrf, projectId: a.projectId })).status).toBe(403);
    expect(csrfIn((await next.get('/console/users')).html)).toBe(reopened?.csrf);
  });

  it("creating a project records, in the new project's trail, who minted its first key", async () => {
    const { c, csrf } = await session('admin_token', null);
    const created = await c.post('/console/projects', { csrf, name: 'audited' });
    expect(created.status).toBe(200);
    const key = /id="new-key" readonly value="([^"]+)"/.exec(created.html)?.[1];
    expect(key).toMatch(/^gth_/);
    const audit = await gh.call('GET', '/v1/audit', { key: key! });
    expect(audit.status, audit.text).toBe(200);
    const rows = (audit.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }).items;
    expect(rows.map((r) => r.kind)).toEqual(['admin.api_key.created']);
    expect(rows[0]!.detail).toMatchObject({ apiKeyId: 'console:admin_token', via: 'console', role: 'admin' });
    expect(JSON.stringify(rows)).not.toContain(key!);
  });

  it('signs in with the admin token: without a project to Projects, with one to its users page', async () => {
    async function signIn(projectId: string) {
      const form = await fetch(`${gh.url}/console/sign-in`);
      const pre = /gatehouse_console_signin=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1];
      const res = await fetch(`${gh.url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `gatehouse_console_signin=${pre}`,
        },
        body: new URLSearchParams({
          csrf: csrfIn(await form.text()),
          credential: gh.adminToken,
          projectId,
          role: 'admin',
        }).toString(),
      });
      const token = /gatehouse_console=([A-Za-z0-9]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      return { status: res.status, location: res.headers.get('location'), token };
    }
    const without = await signIn('');
    expect(without).toMatchObject({ status: 303, location: '/console/projects' });
    expect((await gh.server.runtime.consoleSessions.get(without.token))?.projectId).toBeNull();
    const withProject = await signIn(b.projectId);
    expect(withProject).toMatchObject({ status: 303, location: '/console/users' });
    expect((await gh.server.runtime.consoleSessions.get(withProject.token))?.projectId).toBe(b.projectId);
    expect((await signIn('prj_nosuch')).status).toBe(401);
  });

  it('pages the projects, 50 at a time, newest first', async () => {
    for (let i = 0; i < 50; i++) await gh.createProject(`bulk ${i}`);
    const { c } = await session('admin_token', null);
    const first = await c.get('/console/projects');
    expect(first.html).toContain('bulk 49');
    expect(first.html).not.toContain(a.projectId);
    const older = /href="(\/console\/projects\?cursor=[^"]+)"/.exec(first.html)?.[1];
    expect(older).toBeDefined();
    const second = await c.get(older!);
    expect(second.status).toBe(200);
    expect(second.html).toContain(a.projectId);
    expect(second.html).not.toContain('bulk 49');
  });
});
