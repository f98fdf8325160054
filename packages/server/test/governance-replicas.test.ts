import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from './support/databases.js';
import { createFleet, type Fleet, type FleetAccount } from './support/fleet.js';
import type { Replica } from './support/replicas.js';

const suite = TEST_DATABASE_URL ? describe : describe.skip;
if (!TEST_DATABASE_URL)
  console.warn(
    '[gatehouse tests] cross-replica governance tests SKIPPED: they need GATEHOUSE_TEST_DATABASE_URL',
  );
const label = TEST_DATABASE_URL
  ? 'governance caches across real replicas [PostgreSQL]'
  : 'governance caches across real replicas [PostgreSQL: skipped, GATEHOUSE_TEST_DATABASE_URL not set]';

/**
 * Revoking a credential on replica A while replica B holds it verified (an attacker's view: the key
 * leaked, the operator revoked it, the attacker sends the next call to another replica). The cache
 * times are set far beyond the test, so only migration 0031's notification can make B refuse.
 */
suite(label, () => {
  let fleet: Fleet;
  let a: Replica;
  let b: Replica;
  let account: FleetAccount;

  beforeAll(async () => {
    fleet = await createFleet();
    const env = {
      GATEHOUSE_GOVERNANCE_CACHE_MS: '60000',
      GATEHOUSE_API_KEY_CACHE_MS: '60000',
      GATEHOUSE_REFRESHER_ENABLED: 'false',
    };
    [a, b] = await Promise.all([fleet.startReplica(env), fleet.startReplica(env)]);
    account = (await fleet.mintAccounts(1, 0, ['tasks:read']))[0]!;
  }, 180_000);
  afterAll(() => fleet?.close(), 60_000);

  const execute = async (replica: Replica, apiKey: string) => {
    const res = await fetch(`${replica.url}/v1/tools/acme.tasks.list/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: account.userId,
        connectedAccountId: account.id,
        arguments: { limit: 1 },
      }),
    });
    const body = (await res.json()) as { successful?: boolean; error?: { code: string } };
    return { status: res.status, successful: body.successful === true, code: body.error?.code };
  };
  const admin = (replica: Replica, method: string, path: string, body?: unknown) =>
    fetch(`${replica.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${fleet.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('an API key revoked through replica A is refused by replica B within moments, not after the 60 s cache', async () => {
    const { apiKey, secret } = await fleet.rt.apiKeys.create(fleet.projectId, 'leaked', 'runtime');
    for (const replica of [a, b, a, b]) expect((await execute(replica, secret)).successful).toBe(true);

    // A revoke written with the trigger off (replication role) tells no one: B keeps trusting the key
    // it verified. That is the cache at work, and what the notification is for.
    await fleet.rt.db.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = 'replica'");
      await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [apiKey.id]);
    });
    expect((await execute(b, secret)).successful).toBe(true);
    await fleet.rt.db.query('UPDATE api_keys SET revoked_at = NULL WHERE id = $1', [apiKey.id]);
    expect((await execute(b, secret)).successful).toBe(true);

    const revoked = await admin(a, 'DELETE', `/v1/api-keys/${apiKey.id}`);
    expect(revoked.status).toBe(200);
    // The notification is sent at A's commit, before A answers; B applies it as it arrives. Checked
    // within 2 s (far inside the 60 s caches), not on the next call: a loaded machine may delay B's read.
    await expect
      .poll(() => execute(b, secret), { timeout: 2_000, interval: 20 })
      .toMatchObject({ status: 401, code: 'api_key_revoked' });
    expect(await execute(a, secret)).toMatchObject({ status: 401, code: 'api_key_revoked' });
  });

  it('an auth config changed through replica A is used by replica B within moments, not after its cache runs out', async () => {
    const path = `/v1/auth-configs/${fleet.authConfigId}`;
    const sandboxUrl = fleet.sandbox.url;
    for (const replica of [a, b, a, b]) expect((await execute(replica, fleet.apiKey)).successful).toBe(true);
    // The operator moves the provider's API elsewhere (here: a port nothing listens on). B has the
    // config loaded; only migration 0032's notification can make it drop it before its 5 s cache ends.
    try {
      const moved = await admin(a, 'PATCH', path, { settings: { baseUrl: 'http://127.0.0.1:9' } });
      expect(moved.status).toBe(200);
      await expect
        .poll(() => execute(b, fleet.apiKey), { timeout: 2_000, interval: 20 })
        .toMatchObject({ successful: false, code: 'upstream_unreachable' });
      const back = await admin(a, 'PATCH', path, { settings: { baseUrl: sandboxUrl } });
      expect(back.status).toBe(200);
      await expect
        .poll(() => execute(b, fleet.apiKey), { timeout: 2_000, interval: 20 })
        .toMatchObject({ successful: true });
    } finally {
      // The next test needs the sandbox reachable whatever happened here.
      await fleet.rt.authConfigs.update(fleet.projectId, fleet.authConfigId, {
        settings: { baseUrl: sandboxUrl },
      });
    }
  });

  it('a policy that starts denying through replica A denies on replica B within moments, not after the 60 s cache', async () => {
    for (const replica of [a, b, a, b]) expect((await execute(replica, fleet.apiKey)).successful).toBe(true);
    const res = await admin(a, 'PUT', '/v1/policies', {
      sets: [
        {
          name: 'main',
          mode: 'enforce',
          policies:
            'permit (principal, action, resource);\nforbid (principal, action == Gatehouse::Action::"acme.tasks.list", resource);',
        },
      ],
      userAttributes: {},
    });
    expect(res.status).toBe(200);
    // A denied call is an answered call (200, successful false) naming the policy decision.
    await expect
      .poll(() => execute(b, fleet.apiKey), { timeout: 2_000, interval: 20 })
      .toMatchObject({ successful: false, code: 'policy_denied' });
    expect(await execute(a, fleet.apiKey)).toMatchObject({ successful: false, code: 'policy_denied' });
  });
});
