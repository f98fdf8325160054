import { createHash } from 'node:crypto';
import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { example, setPolicies } from './governance/support.js';
import { execute, projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

describeEachDatabase(
  'keys with roles: an agent runs tools with a runtime key and cannot govern itself',
  (t) => {
    let gh: TestGatehouse;
    let sandbox: Sandbox;
    let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
    let runtimeKey: string;

    beforeAll(async () => {
      gh = await startTestGatehouse(t.db());
      const started = await sandboxFor(gh);
      sandbox = started.sandbox;
      p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob']);
      await setPolicies(gh, p.apiKey, [{ policies: example('approval-for-writes') }]);
      const created = await gh.call('POST', '/v1/api-keys', {
        key: p.apiKey,
        body: { name: 'planner agent', role: 'runtime' },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({ name: 'planner agent', role: 'runtime' });
      runtimeKey = (created.body as { key: string }).key;
    });
    afterAll(async () => {
      await gh?.close();
      await sandbox?.close();
    });

    const requestApproval = async (title: string): Promise<string> => {
      const res = await execute(gh, runtimeKey, 'acme.tasks.create', {
        userId: 'alice',
        arguments: { title },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.result.error?.code).toBe('approval_required');
      return (res.result.error!.details as { approvalId: string }).approvalId;
    };

    const expectNeedsAdmin = (res: { status: number; body: unknown; text: string }) => {
      expect(res.status, res.text).toBe(403);
      const { error } = res.body as ErrorBody;
      expect(error.code).toBe('forbidden');
      expect(error.message).toBe("this endpoint needs an admin key; this key's role is runtime");
      expect(error.details).toEqual({ requiredRole: 'admin', keyRole: 'runtime' });
    };

    it('a runtime key discovers tools, executes, proxies, connects a user and waits on an approval', async () => {
      for (const path of [
        '/v1/tools',
        '/v1/toolkits',
        '/v1/providers',
        '/v1/auth-configs',
        '/v1/connected-accounts',
      ])
        expect((await gh.call('GET', path, { key: runtimeKey })).status, path).toBe(200);

      const read = await execute(gh, runtimeKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
      expect(read.status, read.text).toBe(200);
      expect(read.result.successful).toBe(true);

      const proxied = await gh.call('POST', '/v1/proxy', {
        key: runtimeKey,
        body: { connectedAccountId: p.accounts.alice, method: 'GET', path: '/debug/echo' },
      });
      expect(proxied.status, proxied.text).toBe(200);

      const link = await gh.call('POST', '/v1/connect/links', {
        key: runtimeKey,
        body: { userId: 'carol', authConfigId: p.authConfigId },
      });
      expect(link.status, link.text).toBe(201);
      const linkId = (link.body as { id: string }).id;
      expect((await gh.call('GET', `/v1/connect/links/${linkId}`, { key: runtimeKey })).status).toBe(200);

      const approvalId = await requestApproval('wire the deposit');
      const waiting = await gh.call('GET', `/v1/approvals/${approvalId}`, { key: runtimeKey });
      expect(waiting.status, waiting.text).toBe(200);
      expect(waiting.body).toMatchObject({ status: 'pending' });

      for (const path of ['/v1/audit', '/v1/usage'])
        expect((await gh.call('GET', path, { key: runtimeKey })).status, path).toBe(200);
    });

    it('an agent cannot decide its own approval with its runtime key; an admin key can', async () => {
      const approvalId = await requestApproval('pay the invoice');
      for (const decision of ['approve', 'deny'])
        expectNeedsAdmin(
          await gh.call('POST', `/v1/approvals/${approvalId}/${decision}`, {
            key: runtimeKey,
            body: { approver: 'the agent itself' },
          }),
        );
      const still = await gh.call('GET', `/v1/approvals/${approvalId}`, { key: runtimeKey });
      expect(still.body).toMatchObject({ status: 'pending' });

      const approved = await gh.call('POST', `/v1/approvals/${approvalId}/approve`, {
        key: p.apiKey,
        body: { approver: 'ops@acme.test' },
      });
      expect(approved.status, approved.text).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved' });
    });

    it('a runtime key cannot change governance, settings, keys, accounts, webhooks or toolkits', async () => {
      const attempts: Array<[string, string, unknown]> = [
        ['PUT', '/v1/policies', { sets: [] }],
        ['PUT', '/v1/limits', { budgets: { monthlyPerUser: 1000 } }],
        ['PUT', '/v1/settings/proxy', { enabled: false }],
        ['POST', '/v1/api-keys', { name: 'escalation', role: 'admin' }],
        ['POST', '/v1/api-keys', { name: 'another agent', role: 'runtime' }],
        ['GET', '/v1/api-keys', undefined],
        ['DELETE', `/v1/connected-accounts/${p.accounts.bob}`, undefined],
        ['POST', '/v1/webhooks', { url: 'https://example.com/hook' }],
        ['PUT', '/v1/toolkits/mine', { id: 'mine' }],
        ['POST', '/v1/toolkits/import-openapi', {}],
        ['POST', '/v1/auth-configs', { providerId: 'github', clientId: 'c' }],
        ['GET', '/v1/policies', undefined],
      ];
      for (const [method, path, body] of attempts)
        expectNeedsAdmin(await gh.call(method, path, { key: runtimeKey, body }));
      // Nothing changed: bob is still connected.
      const bob = await gh.call('GET', `/v1/connected-accounts/${p.accounts.bob}`, { key: runtimeKey });
      expect(bob.status).toBe(200);
    });

    it('an admin key does all of it, and sees each key’s role', async () => {
      const admin = p.apiKey;
      const ok = async (method: string, path: string, body: unknown, status = 200) => {
        const res = await gh.call(method, path, { key: admin, body });
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
        return res;
      };
      await ok('PUT', '/v1/limits', { budgets: { monthlyPerUser: 1000 } });
      await ok('PUT', '/v1/settings/proxy', { enabled: true });
      await ok('POST', '/v1/webhooks', { url: 'https://example.com/hook' }, 201);
      await ok('POST', '/v1/api-keys', { name: 'second admin' }, 201);
      await ok('PUT', '/v1/policies', {
        sets: [{ name: 'w', mode: 'enforce', policies: example('approval-for-writes') }],
      });
      await ok('DELETE', `/v1/connected-accounts/${p.accounts.bob}`, undefined);
      // Toolkits: the role check lets an admin through to the toolkit's own validation.
      expect((await gh.call('DELETE', '/v1/toolkits/nothing-here', { key: admin })).status).not.toBe(403);

      const keys = (await ok('GET', '/v1/api-keys', undefined)).body as {
        items: Array<{ name: string; role: string }>;
      };
      const roles = Object.fromEntries(keys.items.map((k) => [k.name, k.role]));
      expect(roles).toEqual({ default: 'admin', 'planner agent': 'runtime', 'second admin': 'admin' });
    });

    it('a new project starts with an admin key; role is validated', async () => {
      const created = await gh.call('POST', '/v1/admin/projects', {
        key: gh.adminToken,
        body: { name: 'roles' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ apiKey: { role: 'admin' } });
      const bad = await gh.call('POST', '/v1/api-keys', { key: p.apiKey, body: { role: 'root' } });
      expect(bad.status).toBe(400);
      expect((bad.body as ErrorBody).error.code).toBe('invalid_request');
    });

    it('every project route declares the role it needs', () => {
      const project = gh.server.app.routeTable.filter(
        (r) => r.url.startsWith('/v1/') && !r.url.startsWith('/v1/admin/'),
      );
      expect(project.length).toBeGreaterThan(40);
      // The delegation token endpoint and its JWKS are protocol endpoints (RFC 8693, RFC 7517): no key;
      // the exchange authenticates the agent by its actor token. Nothing else under /v1 is open.
      const PROTOCOL = [
        'POST /v1/projects/:projectId/token',
        'GET /v1/projects/:projectId/jwks.json',
        'HEAD /v1/projects/:projectId/jwks.json',
      ];
      const undeclared = project.filter(
        (r) =>
          r.auth !== 'project:admin' &&
          r.auth !== 'project:runtime' &&
          r.auth !== 'project:runtime|delegated' &&
          !PROTOCOL.includes(`${r.method} ${r.url}`),
      );
      expect(undeclared.map((r) => `${r.method} ${r.url} (${r.auth})`)).toEqual([]);
      // Exchanged tokens are taken only where an agent acts for its user.
      expect(
        project
          .filter((r) => r.auth === 'project:runtime|delegated')
          .map((r) => `${r.method} ${r.url}`)
          .sort(),
      ).toEqual(['POST /v1/proxy', 'POST /v1/tools/:slug/execute']);
      // The least-privilege line, spot-checked: deciding approvals and managing keys need admin.
      const roleOf = (method: string, url: string) =>
        project.find((r) => r.method === method && r.url === url)?.auth;
      expect(roleOf('POST', '/v1/approvals/:id/approve')).toBe('project:admin');
      expect(roleOf('POST', '/v1/approvals/:id/deny')).toBe('project:admin');
      expect(roleOf('POST', '/v1/api-keys')).toBe('project:admin');
      expect(roleOf('POST', '/v1/agents')).toBe('project:admin');
      expect(roleOf('POST', '/v1/agents/:id/keys')).toBe('project:admin');
      expect(roleOf('POST', '/v1/tools/:slug/execute')).toBe('project:runtime|delegated');
      expect(roleOf('PUT', '/v1/settings/delegation')).toBe('project:admin');
      expect(roleOf('POST', '/v1/agents/:id/public-keys')).toBe('project:admin');
    });
  },
);

describe('keys with roles: keys made before roles existed', () => {
  it('a key created before migration 0010 keeps working as an admin key', async () => {
    const db = await openPglite();
    try {
      await migrate(db);
      // Roll the schema back to before roles and create a key as the old code did.
      await db.query('ALTER TABLE api_keys DROP COLUMN role');
      await db.query('DELETE FROM schema_migrations WHERE version = 10');
      await db.query("INSERT INTO projects (id, name) VALUES ('prj_legacy', 'legacy')");
      const lookupId = 'L'.repeat(12);
      const key = `gth_sk_${lookupId}_${'s'.repeat(40)}`;
      await db.query(
        "INSERT INTO api_keys (id, project_id, name, lookup_id, secret_hash) VALUES ('key_legacy', 'prj_legacy', 'old', $1, $2)",
        [lookupId, createHash('sha256').update(key).digest('hex')],
      );
      const gh = await startTestGatehouse(db); // applies 0010
      try {
        const limits = await gh.call('PUT', '/v1/limits', { key, body: { budgets: { monthlyPerUser: 5 } } });
        expect(limits.status, limits.text).toBe(200);
        const keys = await gh.call('GET', '/v1/api-keys', { key });
        expect(keys.body).toMatchObject({ items: [{ id: 'key_legacy', role: 'admin' }] });
      } finally {
        await gh.close();
      }
    } finally {
      await db.close();
    }
  });
});
