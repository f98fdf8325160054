import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealCredentials } from '../src/accounts/credentials.js';
import { openPglite } from '../src/store/db.js';
import { execute, projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
let projectId: string;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite(), {
    GATEHOUSE_UPSTREAM_TIMEOUT_MS: '500',
    GATEHOUSE_UPSTREAM_RETRY_BUDGET_MS: '4000',
  });
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob', 'carol']);
  const auth = await gh.server.runtime.apiKeys.authenticate(acme.apiKey);
  if (!auth.ok) throw new Error('key');
  projectId = auth.value.projectId;
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});
beforeEach(() => sandbox.faults.clear());

const lastAudit = async () =>
  (
    (await gh.call('GET', '/v1/audit?limit=1', { key: acme.apiKey })).body as {
      items: Array<{
        attempts: number;
        outcome: string;
        upstreamStatus: number | null;
        errorCode: string | null;
      }>;
    }
  ).items[0]!;

describe('the broker is reliable when the upstream is not', () => {
  it('429 with Retry-After is waited out and retried, then succeeds', async () => {
    sandbox.faults.add({
      match: { pathPrefix: '/api/tasks', method: 'GET' },
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    const started = Date.now();
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(res.result.successful).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await lastAudit()).toMatchObject({ attempts: 2, outcome: 'success', upstreamStatus: 200 });
  });

  it('429 on a POST is retried too: the upstream did not process it', async () => {
    sandbox.faults.add({
      match: { pathPrefix: '/api/tasks', method: 'POST' },
      kind: 'status',
      status: 429,
      retryAfterSeconds: 0,
      times: 1,
    });
    const res = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'after 429' },
    });
    expect(res.result.successful).toBe(true);
    expect((await lastAudit()).attempts).toBe(2);
  });

  it('a Retry-After beyond the budget is not waited for; the agent is told', async () => {
    sandbox.faults.add({
      match: { pathPrefix: '/api/tasks' },
      kind: 'status',
      status: 429,
      retryAfterSeconds: 60,
      times: 1,
    });
    const started = Date.now();
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.result.error).toMatchObject({
      code: 'upstream_rate_limited',
      details: { status: 429, retryAfter: '60' },
    });
  });

  it('a 500 on a POST without an idempotency key is not retried and is reported clearly', async () => {
    sandbox.faults.add({
      match: { pathPrefix: '/api/tasks', method: 'POST' },
      kind: 'status',
      status: 500,
      times: 0,
    });
    const before = sandbox.stats().faultsApplied;
    const res = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'maybe created' },
    });
    expect(res.status).toBe(200);
    expect(res.result.error).toMatchObject({ code: 'upstream_error', details: { status: 500 } });
    expect(res.result.error!.message).toContain('answered 500');
    expect(sandbox.stats().faultsApplied - before).toBe(1);
    expect((await lastAudit()).attempts).toBe(1);
  });

  it('a 500 on a POST with an idempotency key, or on a GET, is retried with backoff', async () => {
    sandbox.faults.add({
      match: { pathPrefix: '/api/tasks', method: 'POST' },
      kind: 'status',
      status: 500,
      times: 1,
    });
    const post = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'retried' },
      idempotencyKey: 'k-500',
    });
    expect(post.result.successful).toBe(true);
    sandbox.faults.add({
      match: { pathPrefix: '/api/tasks', method: 'GET' },
      kind: 'status',
      status: 503,
      times: 2,
    });
    const get = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(get.result.successful).toBe(true);
    expect((await lastAudit()).attempts).toBe(3);
  });

  it('a timeout is reported as upstream_timeout', async () => {
    sandbox.faults.add({ match: { pathPrefix: '/api/tasks', method: 'POST' }, kind: 'timeout', times: 1 });
    const res = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'slow' },
    });
    expect(res.result.error).toMatchObject({ code: 'upstream_timeout' });
    expect(await lastAudit()).toMatchObject({ outcome: 'error', errorCode: 'upstream_timeout', attempts: 1 });
  });
});

describe('tokens stay fresh without the agent noticing', () => {
  it('a 401 from the upstream triggers one refresh and a retry', async () => {
    const row = (await gh.server.runtime.accountStore.get(projectId, acme.accounts.bob!))!;
    // Replace bob's access token with one the sandbox never issued; his refresh token stays valid.
    const { openCredentials } = await import('../src/accounts/credentials.js');
    const creds = await openCredentials(gh.server.runtime.vault, projectId, row.id, row.credentialsCt!);
    if (!creds.ok) throw new Error('creds');
    const ct = await sealCredentials(gh.server.runtime.vault, projectId, row.id, {
      tokenType: 'Bearer',
      ...(creds.value.refreshToken ? { refreshToken: creds.value.refreshToken } : {}),
      accessToken: 'not-a-real-token-at-all',
    });
    await gh.server.runtime.db.query('UPDATE connected_accounts SET credentials_ct = $1 WHERE id = $2', [
      ct,
      row.id,
    ]);
    const refreshesBefore = sandbox.stats().refreshGrants;
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'bob', arguments: {} });
    expect(res.result.successful).toBe(true);
    expect(sandbox.stats().refreshGrants - refreshesBefore).toBe(1);
    const after = (await gh.server.runtime.accountStore.get(projectId, row.id))!;
    expect(after.version).toBe(row.version + 1);
  });

  it('a 401 that survives a fresh refresh keeps the connection: the grant is alive, only invalid_grant revokes', async () => {
    // The provider briefly refuses even a token it has just issued (clock skew, propagation delay).
    sandbox.faults.add({ match: { pathPrefix: '/api/tasks' }, kind: 'status', status: 401, times: 2 });
    const refreshesBefore = sandbox.stats().refreshGrants;
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(res.result.error).toMatchObject({ code: 'upstream_error', details: { status: 401 } });
    expect(sandbox.stats().refreshGrants - refreshesBefore).toBe(1);
    const account = (await gh.server.runtime.accountStore.get(projectId, acme.accounts.alice!))!;
    expect(account.status).toBe('ACTIVE');
    // The next call simply works.
    const again = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(again.result.successful).toBe(true);
    // The health probe judges the same way: an answered refresh is not a revocation.
    sandbox.faults.add({ match: { pathPrefix: '/api/me' }, kind: 'status', status: 401, times: 2 });
    expect(await gh.server.runtime.workers.healthProbe.probe(account)).toBe('inconclusive');
    expect((await gh.server.runtime.accountStore.get(projectId, account.id))!.status).toBe('ACTIVE');
  });

  it('a token about to expire is refreshed once, however many calls race for it', async () => {
    await gh.server.runtime.db.query(
      "UPDATE connected_accounts SET access_token_expires_at = now() + interval '5 seconds', last_refreshed_at = now() - interval '1 hour' WHERE id = $1",
      [acme.accounts.alice],
    );
    const before = sandbox.stats();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} }),
      ),
    );
    expect(results.every((r) => r.result.successful)).toBe(true);
    const after = sandbox.stats();
    expect(after.refreshGrants - before.refreshGrants).toBe(1);
    expect(after.refreshReuseDetected).toBe(0);
  });

  it('a grant revoked at the provider turns into REVOKED and authorization_required with a reconnect link', async () => {
    sandbox.revokeUser('carol');
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'carol', arguments: {} });
    expect(res.result.error).toMatchObject({
      code: 'authorization_required',
      details: {
        reason: 'reconnect',
        connectedAccountId: acme.accounts.carol,
        connectLink: { redirectUrl: expect.any(String) },
      },
    });
    const account = (
      await gh.call('GET', `/v1/connected-accounts/${acme.accounts.carol}`, { key: acme.apiKey })
    ).body as { status: string };
    expect(account.status).toBe('REVOKED');
  });
});
