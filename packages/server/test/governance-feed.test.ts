import { afterAll, beforeAll, expect, it } from 'vitest';
import { ProxySettingsStore } from '../src/broker/proxy-settings.js';
import { CustomToolkitStore } from '../src/catalog/custom-toolkit-store.js';
import { createToolCatalog } from '../src/catalog/tool-catalog.js';
import { ToolkitPinStore } from '../src/catalog/toolkit-pin-store.js';
import { ConnectSettingsStore } from '../src/connect/connect-settings.js';
import { DelegationSettingsStore } from '../src/delegation/settings.js';
import { LimitSettingsStore } from '../src/limits/settings.js';
import { McpUserSessions } from '../src/mcp/user-sessions.js';
import { PolicyStore } from '../src/policy/policy-store.js';
import { ApiKeyStore } from '../src/projects/api-keys.js';
import type { Db } from '../src/store/db.js';
import { GovernanceFeed } from '../src/store/governance-feed.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * Two replicas' governance caches on one database (each its own feed, as each process has its own
 * LISTEN): what one revokes, the other refuses once the notification arrives, with cache times far
 * beyond the test. `barrier()` waits for every change committed before it (PostgreSQL delivers in
 * commit order); on PGlite delivery happens before the writer's statement returns.
 */
const HOUR = 3_600_000;

describeEachDatabase('governance changes reach the other replica by notification', (t) => {
  let db: Db;
  let feeds: GovernanceFeed[];
  let a: {
    feed: GovernanceFeed;
    keys: ApiKeyStore;
    policies: PolicyStore;
    sessions: McpUserSessions;
    limits: LimitSettingsStore;
    proxy: ProxySettingsStore;
    connect: ConnectSettingsStore;
    delegation: DelegationSettingsStore;
  };
  let b: typeof a;
  const projectId = 'prj_feed';

  beforeAll(async () => {
    db = t.db();
    await db.query("INSERT INTO projects (id, name) VALUES ($1, 'feed') ON CONFLICT DO NOTHING", [projectId]);
    const catalog = createToolCatalog({
      db,
      store: new CustomToolkitStore(db),
      pins: new ToolkitPinStore(db),
      sandbox: true,
      cacheMs: 0,
    });
    const replica = async () => {
      const feed = await GovernanceFeed.open(db, { enabled: true });
      return {
        feed,
        keys: new ApiKeyStore(db, HOUR, feed),
        policies: new PolicyStore(db, HOUR, feed),
        sessions: new McpUserSessions(db, catalog, HOUR, feed),
        limits: new LimitSettingsStore(db, catalog, HOUR, feed),
        proxy: new ProxySettingsStore(db, HOUR, feed),
        connect: new ConnectSettingsStore(db, false, HOUR, feed),
        delegation: new DelegationSettingsStore(db, HOUR, feed),
      };
    };
    [a, b] = [await replica(), await replica()];
    feeds = [a.feed, b.feed];
  });
  afterAll(async () => {
    for (const feed of feeds ?? []) await feed.close();
  });

  it('a key revoked on A is refused on B; a silent write (no trigger) is not seen: the cache is real', async () => {
    const { apiKey, secret } = await a.keys.create(projectId, 'k', 'runtime');
    expect((await b.keys.authenticate(secret)).ok).toBe(true);
    if (t.kind === 'postgres') {
      // Without the trigger nobody hears of it: B keeps the key it verified (the backstop is an hour).
      await db.transaction(async (tx) => {
        await tx.query("SET LOCAL session_replication_role = 'replica'");
        await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [apiKey.id]);
      });
      await b.feed.barrier();
      expect((await b.keys.authenticate(secret)).ok).toBe(true);
      await db.query('UPDATE api_keys SET revoked_at = NULL WHERE id = $1', [apiKey.id]);
      await b.feed.barrier();
      expect((await b.keys.authenticate(secret)).ok).toBe(true);
    }
    expect((await a.keys.revoke(projectId, apiKey.id)).ok).toBe(true);
    await b.feed.barrier();
    const refused = await b.keys.authenticate(secret);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('api_key_revoked');
  });

  it("an operator's SQL that changes a key's role reaches B's cached principal", async () => {
    const { apiKey, secret } = await a.keys.create(projectId, 'r', 'admin');
    const before = await b.keys.authenticate(secret);
    expect(before.ok && before.value.role).toBe('admin');
    await db.query("UPDATE api_keys SET role = 'runtime' WHERE id = $1", [apiKey.id]);
    await b.feed.barrier();
    const after = await b.keys.authenticate(secret);
    expect(after.ok && after.value.role).toBe('runtime');
  });

  it('a policy version put on A is the one B decides with', async () => {
    const start = await b.policies.currentVersion(projectId);
    await a.policies.put(projectId, { sets: [], userAttributes: {} }, null);
    await b.feed.barrier();
    expect(await b.policies.currentVersion(projectId)).toBe(start + 1);
  });

  it('a per-user MCP URL revoked on A is refused on B', async () => {
    const made = await a.sessions.create(projectId, { userId: 'alice', toolkits: ['acme'] });
    if (!made.ok) throw new Error(made.error.message);
    const { session, credential } = made.value;
    expect((await b.sessions.authenticate(session.id, credential)).ok).toBe(true);
    expect((await a.sessions.revoke(projectId, session.id)).ok).toBe(true);
    await b.feed.barrier();
    const refused = await b.sessions.authenticate(session.id, credential);
    expect(refused.ok ? 'accepted' : refused.error.message).toMatch(/revoked/);
  });

  it('limit, proxy, connect and delegation settings changed on A are what B reads next', async () => {
    expect(await b.limits.get(projectId)).toBeUndefined();
    const proxyBefore = await b.proxy.get(projectId);
    expect((await b.connect.get(projectId)).userVerification.enabled).toBe(false);
    const delegationBefore = await b.delegation.get(projectId);
    expect((await a.limits.put(projectId, { rateLimits: [], budgets: { monthlyPerUser: 5 } })).ok).toBe(true);
    await a.proxy.put(projectId, { enabled: !proxyBefore.enabled, costUnits: 2 });
    const verifierUrl = 'https://verifier.example.com/check';
    expect((await a.connect.put(projectId, { userVerification: { enabled: true, verifierUrl } })).ok).toBe(
      true,
    );
    await a.delegation.put(projectId, { ...delegationBefore, maxDepth: delegationBefore.maxDepth + 1 });
    await b.feed.barrier();
    expect((await b.limits.get(projectId))?.config.budgets).toEqual({ monthlyPerUser: 5 });
    expect(await b.proxy.get(projectId)).toMatchObject({ enabled: !proxyBefore.enabled, costUnits: 2 });
    expect((await b.connect.get(projectId)).userVerification).toEqual({ enabled: true, verifierUrl });
    expect((await b.delegation.get(projectId)).maxDepth).toBe(delegationBefore.maxDepth + 1);
  });

  it.runIf(t.kind === 'postgres')(
    'while B’s LISTEN connection is down B serves nothing from its caches, and caches again once it is back',
    async () => {
      const { apiKey, secret } = await a.keys.create(projectId, 'down', 'runtime');
      expect((await b.keys.authenticate(secret)).ok).toBe(true);
      // Both feeds' connections go (the database restarted, a proxy dropped them).
      await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN gatehouse_governance%'`,
      );
      await until(() => !b.feed.active);
      // Used meanwhile, then revoked silently (no notification could reach B anyway): B kept nothing
      // from the first call, reads through and refuses.
      expect((await b.keys.authenticate(secret)).ok).toBe(true);
      await db.transaction(async (tx) => {
        await tx.query("SET LOCAL session_replication_role = 'replica'");
        await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [apiKey.id]);
      });
      const refused = await b.keys.authenticate(secret);
      expect(refused.ok ? 'accepted' : refused.error.code).toBe('api_key_revoked');
      // Back up (reconnects with backoff from 250 ms): caching again, so a silent change goes unseen.
      await until(() => b.feed.active && a.feed.active);
      const other = await a.keys.create(projectId, 'after', 'runtime');
      expect((await b.keys.authenticate(other.secret)).ok).toBe(true);
      await db.transaction(async (tx) => {
        await tx.query("SET LOCAL session_replication_role = 'replica'");
        await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [other.apiKey.id]);
      });
      expect((await b.keys.authenticate(other.secret)).ok).toBe(true);
    },
  );
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
