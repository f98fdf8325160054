import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectPrincipal } from '../src/projects/api-keys.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// An admin change and its admin.* audit row commit together or not at all (audit/README.md, crash
// windows): a failure after the row was appended takes the change with it, and a failing append takes
// the change with it too. A database trigger stands in for the failure: no mock.

describeEachDatabase('admin audit rows are written in their change’s transaction', (t) => {
  let gh: TestGatehouse;
  let key: string;
  let projectId: string;
  let principal: ProjectPrincipal;

  const auditKinds = async () =>
    (
      await gh.server.runtime.db.query<{ kind: string; detail: Record<string, unknown> }>(
        'SELECT kind, detail FROM audit_events WHERE project_id = $1 ORDER BY seq',
        [projectId],
      )
    ).rows;
  const verify = async () => {
    const res = await gh.call('GET', '/v1/audit/verify', { key });
    expect(res.status, res.text).toBe(200);
    return res.body as { ok: boolean; rows: number; head: { seq: number } | null };
  };
  /** Makes the database refuse audit rows of one kind, as a failing append would. */
  const refuseAuditOf = async (kind: string | null) => {
    const db = gh.server.runtime.db;
    await db.query('DROP TRIGGER IF EXISTS refuse_audit_kind ON audit_events');
    if (kind === null) return;
    await db.query(`CREATE OR REPLACE FUNCTION refuse_audit_kind() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit append refused (test)'; END $$`);
    await db.query(`CREATE TRIGGER refuse_audit_kind BEFORE INSERT ON audit_events FOR EACH ROW
      WHEN (NEW.kind = '${kind}') EXECUTE FUNCTION refuse_audit_kind()`);
  };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const project = await gh.createProject('atomic-audit');
    key = project.apiKey;
    projectId = project.projectId;
    const { rows } = await gh.server.runtime.db.query<{ id: string }>(
      'SELECT id FROM api_keys WHERE project_id = $1',
      [projectId],
    );
    principal = { projectId, apiKeyId: rows[0]!.id, role: 'admin', agentId: null };
  });
  afterAll(async () => {
    await refuseAuditOf(null).catch(() => {});
    await gh?.close();
  });

  it('a change whose transaction fails after the audit append leaves neither the change nor the row', async () => {
    const rt = gh.server.runtime;
    const before = await verify();
    let createdId = '';
    await expect(
      rt.db.atomically(async () => {
        const { apiKey } = await rt.apiKeys.create(projectId, 'doomed', 'runtime');
        createdId = apiKey.id;
        await rt.audit.admin(principal, 'admin.api_key.created', { keyId: apiKey.id, name: 'doomed' });
        throw new Error('the change fails after its audit row');
      }),
    ).rejects.toThrow('after its audit row');
    expect(createdId).not.toBe('');
    const keys = await rt.db.query('SELECT id FROM api_keys WHERE id = $1', [createdId]);
    expect(keys.rows).toHaveLength(0);
    expect((await auditKinds()).filter((r) => r.detail.keyId === createdId)).toHaveLength(0);
    const after = await verify();
    expect(after).toMatchObject({ ok: true, rows: before.rows, head: before.head });
  });

  it('a call’s row recorded while an admin change is open neither joins nor rolls back with it', async () => {
    const rt = gh.server.runtime;
    const executionId = `exe_outside_${Date.now()}`;
    // The audit queue is shared by every call: the change that happens to start its drain must not
    // carry other calls' rows into its transaction.
    await expect(
      rt.db.atomically(async () => {
        await rt.audit.record({
          projectId,
          kind: 'tool.execute',
          executionId,
          userId: 'alice',
          agentId: null,
          toolSlug: 'acme.tasks.list',
          providerId: 'sandbox',
          connectedAccountId: null,
          outcome: 'success',
          errorCode: null,
          upstreamStatus: 200,
          latencyMs: 1,
          attempts: 1,
          traceId: null,
          detail: {},
        });
        throw new Error('the admin change fails');
      }),
    ).rejects.toThrow('admin change fails');
    await rt.audit.settled();
    const { rows } = await rt.db.query('SELECT id FROM audit_events WHERE execution_id = $1', [executionId]);
    expect(rows).toHaveLength(1);
    expect((await verify()).ok).toBe(true);
  });

  it('a successful change has its row, chained', async () => {
    const rt = gh.server.runtime;
    const before = await verify();
    const created = await rt.db.atomically(async () => {
      const { apiKey } = await rt.apiKeys.create(projectId, 'kept', 'runtime');
      await rt.audit.admin(principal, 'admin.api_key.created', { keyId: apiKey.id, name: 'kept' });
      return apiKey;
    });
    expect((await auditKinds()).filter((r) => r.detail.keyId === created.id)).toHaveLength(1);
    const after = await verify();
    expect(after).toMatchObject({ ok: true, rows: before.rows + 1 });
    expect(after.head?.seq).toBe((before.head?.seq ?? 0) + 1);
  });

  it('an admin row outside its change’s transaction is refused', async () => {
    await expect(gh.server.runtime.audit.admin(principal, 'admin.limits.updated', {})).rejects.toThrow(
      'db.atomically',
    );
  });

  it('over HTTP: an auth config whose audit row fails is not created; with the row it is', async () => {
    await refuseAuditOf('admin.auth_config.created');
    const refused = await gh.call('POST', '/v1/auth-configs', {
      key,
      body: { providerId: 'trello', name: 'unaudited', settings: { apiKey: 'a'.repeat(32) } },
    });
    expect(refused.status, refused.text).toBe(500);
    const listed = await gh.call('GET', '/v1/auth-configs?providerId=trello', { key });
    expect((listed.body as { items: Array<{ name: string }> }).items.map((c) => c.name)).not.toContain(
      'unaudited',
    );
    await refuseAuditOf(null);
    const created = await gh.call('POST', '/v1/auth-configs', {
      key,
      body: { providerId: 'trello', name: 'audited', settings: { apiKey: 'a'.repeat(32) } },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    const rows = (await auditKinds()).filter((r) => r.kind === 'admin.auth_config.created');
    expect(rows.map((r) => r.detail.authConfigId)).toEqual([id]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('over HTTP: a project created with the admin token starts its trail with its first key, or does not exist', async () => {
    const named = async (name: string) =>
      (await gh.server.runtime.db.query('SELECT id FROM projects WHERE name = $1', [name])).rows;
    await refuseAuditOf('admin.api_key.created');
    const refused = await gh.call('POST', '/v1/admin/projects', {
      key: gh.adminToken,
      body: { name: 'unaudited project' },
    });
    expect(refused.status, refused.text).toBe(500);
    expect(await named('unaudited project')).toHaveLength(0);
    await refuseAuditOf(null);
    const made = await gh.call('POST', '/v1/admin/projects', {
      key: gh.adminToken,
      body: { name: 'audited project' },
    });
    expect(made.status, made.text).toBe(201);
    const { project, apiKey } = made.body as { project: { id: string }; apiKey: { id: string; key: string } };
    const trail = await gh.call('GET', '/v1/audit', { key: apiKey.key });
    const rows = (trail.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }).items;
    expect(rows.map((r) => r.kind)).toEqual(['admin.api_key.created']);
    expect(rows[0]!.detail).toMatchObject({
      keyId: apiKey.id,
      apiKeyId: 'admin_token',
      role: 'admin',
      via: 'api',
    });
    expect(JSON.stringify(rows)).not.toContain(apiKey.key);
    const verdict = await gh.call('GET', '/v1/audit/verify', { key: apiKey.key });
    expect(verdict.body).toMatchObject({ ok: true, rows: 1 });
    expect(await named('audited project')).toEqual([{ id: project.id }]);
  });

  it('over HTTP: a key revocation whose audit row fails leaves the key working', async () => {
    const made = await gh.call('POST', '/v1/api-keys', { key, body: { name: 'agent', role: 'runtime' } });
    expect(made.status, made.text).toBe(201);
    const { id, key: runtimeKey } = made.body as { id: string; key: string };
    await refuseAuditOf('admin.api_key.revoked');
    const refused = await gh.call('DELETE', `/v1/api-keys/${id}`, { key });
    expect(refused.status, refused.text).toBe(500);
    const stillWorks = await gh.call('GET', '/v1/auth-configs', { key: runtimeKey });
    expect(stillWorks.status, stillWorks.text).toBe(200);
    await refuseAuditOf(null);
    const revoked = await gh.call('DELETE', `/v1/api-keys/${id}`, { key });
    expect(revoked.status, revoked.text).toBe(200);
    expect((await gh.call('GET', '/v1/auth-configs', { key: runtimeKey })).status).toBe(401);
    expect((await auditKinds()).filter((r) => r.kind === 'admin.api_key.revoked')).toHaveLength(1);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('over HTTP: a connected account connected or deleted without its audit row is not', async () => {
    // A bearer provider whose health check a loopback server answers (the call happens before the transaction).
    const upstream = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const port = (upstream.address() as AddressInfo).port;
    const put = await gh.call('PUT', '/v1/providers/plain-local', {
      key,
      body: {
        id: 'plain-local',
        displayName: 'Plain (local)',
        authType: 'bearer',
        api: {
          baseUrl: `http://127.0.0.1:${port}/api`,
          internal: true,
          healthCheck: { method: 'GET', path: '/me' },
        },
      },
    });
    expect(put.status, put.text).toBe(200);
    const ac = await gh.call('POST', '/v1/auth-configs', { key, body: { providerId: 'plain-local' } });
    expect(ac.status, ac.text).toBe(201);
    const connect = (userId: string) =>
      gh.call('POST', '/v1/connected-accounts', {
        key,
        body: {
          userId,
          authConfigId: (ac.body as { id: string }).id,
          credentials: { type: 'bearer', token: `tok-${userId}-${'x'.repeat(20)}` },
        },
      });
    const accountsOf = async (userId: string) =>
      (
        await gh.server.runtime.db.query(
          'SELECT id FROM connected_accounts WHERE project_id = $1 AND user_id = $2',
          [projectId, userId],
        )
      ).rows;

    await refuseAuditOf('admin.connected_account.created');
    const refused = await connect('erin');
    expect(refused.status, refused.text).toBe(500);
    expect(await accountsOf('erin')).toHaveLength(0);
    await refuseAuditOf(null);
    const made = await connect('erin');
    expect(made.status, made.text).toBe(201);
    const id = (made.body as { id: string }).id;

    await refuseAuditOf('admin.connected_account.deleted');
    expect((await gh.call('DELETE', `/v1/connected-accounts/${id}`, { key })).status).toBe(500);
    expect(await accountsOf('erin')).toHaveLength(1);
    await refuseAuditOf(null);
    const deleted = await gh.call('DELETE', `/v1/connected-accounts/${id}`, { key });
    expect(deleted.status, deleted.text).toBe(200);
    expect(await accountsOf('erin')).toHaveLength(0);
    const rows = (await auditKinds()).filter((r) => r.detail.connectedAccountId === id).map((r) => r.kind);
    expect(rows).toEqual(['admin.connected_account.created', 'admin.connected_account.deleted']);
    expect(await verify()).toMatchObject({ ok: true });
    upstream.close();
  });
});
