import { afterAll, beforeAll, expect, it } from 'vitest';
import { outsideChanges } from '../src/store/db.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// An admin changing an auth config, a toolkit or policies, as a replica's caches see it: what they keep is what
// committed. A change that rolls back leaves nothing of itself in a cache it read through, and a
// request served between a change and its commit (on another connection: PostgreSQL only, PGlite's
// one connection makes it wait for the commit) does not keep the old value past the commit.
// Caches are trusted for a minute here, so a stale entry would still be served when each test looks.

const rolledBack = new Error('the change is rolled back');

const toolkit = (slug: string) => ({
  id: 'cachekit',
  displayName: 'Cache kit',
  provider: 'github',
  tools: [
    {
      slug,
      name: 'Who am I',
      description: 'The signed-in user.',
      input: { type: 'object', properties: {}, additionalProperties: false },
      scopes: [],
      risk: 'read',
      http: { method: 'GET', path: '/user' },
    },
  ],
});

describeEachDatabase('caches keep only what committed', (t) => {
  let gh: TestGatehouse;
  let projectId: string;
  let authConfigId: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), {
      GATEHOUSE_GOVERNANCE_CACHE_MS: '60000',
      GATEHOUSE_ACCOUNT_CACHE_MS: '60000',
      GATEHOUSE_REFRESHER_ENABLED: 'false',
    });
    const project = await gh.createProject('committed caches');
    projectId = project.projectId;
    const made = await gh.call('POST', '/v1/auth-configs', {
      key: project.apiKey,
      body: { providerId: 'trello', name: 'first', settings: { apiKey: 'a'.repeat(32) } },
    });
    expect(made.status, made.text).toBe(201);
    authConfigId = (made.body as { id: string }).id;
  });
  afterAll(() => gh?.close());

  const loadName = async () => {
    const loaded = await gh.server.runtime.authConfigs.load(projectId, authConfigId);
    if (!loaded.ok) throw new Error(loaded.error.message);
    return loaded.value.config.name;
  };
  const rename = (name: string) => gh.server.runtime.authConfigs.update(projectId, authConfigId, { name });

  it('an auth config change that rolls back is not served from the cache', async () => {
    const { db } = gh.server.runtime;
    expect(await loadName()).toBe('first');
    await expect(
      db.atomically(async () => {
        await rename('rolled back');
        expect(await loadName()).toBe('rolled back'); // the change sees its own write
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await loadName()).toBe('first');
  });

  it('a request between an auth config change and its commit does not keep the old config', async () => {
    if (t.kind !== 'postgres') return;
    const { db } = gh.server.runtime;
    await db.atomically(async () => {
      await rename('renamed');
      expect(await outsideChanges(loadName)).toBe('first');
    });
    expect(await loadName()).toBe('renamed');
  });

  it('a toolkit put that rolls back leaves no tool in the catalog', async () => {
    const { db, catalog, customToolkits } = gh.server.runtime;
    expect(await catalog.get(projectId, 'cachekit.me.get')).toBeUndefined();
    await expect(
      db.atomically(async () => {
        const put = await customToolkits.put(projectId, 'cachekit', toolkit('cachekit.me.get'));
        expect(put.ok, JSON.stringify(put)).toBe(true);
        expect(await catalog.get(projectId, 'cachekit.me.get')).toBeDefined();
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await catalog.get(projectId, 'cachekit.me.get')).toBeUndefined();
  });

  it('a request between a toolkit put and its commit does not hide the new tool', async () => {
    if (t.kind !== 'postgres') return;
    const { db, catalog, customToolkits } = gh.server.runtime;
    expect(await catalog.get(projectId, 'cachekit.user.get')).toBeUndefined();
    await db.atomically(async () => {
      const put = await customToolkits.put(projectId, 'cachekit', toolkit('cachekit.user.get'));
      expect(put.ok, JSON.stringify(put)).toBe(true);
      expect(await outsideChanges(() => catalog.get(projectId, 'cachekit.user.get'))).toBeUndefined();
    });
    expect(await catalog.get(projectId, 'cachekit.user.get')).toBeDefined();
  });

  it('a request between a policy change and its commit does not keep the old policies', async () => {
    if (t.kind !== 'postgres') return;
    const { db, policies } = gh.server.runtime;
    const before = (await policies.engine.forProject(projectId)).version;
    await db.atomically(async () => {
      const put = await policies.put(
        projectId,
        {
          sets: [{ name: 'base', mode: 'enforce', policies: 'permit (principal, action, resource);' }],
          userAttributes: {},
        },
        null,
      );
      expect(put.ok, JSON.stringify(put)).toBe(true);
      expect((await outsideChanges(() => policies.engine.forProject(projectId))).version).toBe(before);
    });
    expect((await policies.engine.forProject(projectId)).version).toBe(before + 1);
  });

  it('a connected account read inside a change that rolls back is not kept', async () => {
    const { db, accountStore, accountCache } = gh.server.runtime;
    const account = await accountStore.insert(
      db,
      projectId,
      'ca_cachetest',
      { authConfigId, userId: 'alice', groupId: null, providerId: 'trello', label: 'committed' },
      {
        scopes: [],
        credentialsCt: 'not-a-real-ciphertext',
        accessTokenExpiresAt: null,
        nextRefreshAt: null,
        subject: null,
        displayName: null,
        connectionConfig: {},
      },
    );
    await accountCache.barrier();
    await expect(
      db.atomically(async () => {
        // A write no service announced (as a migration or an operator's SQL would make it).
        await db.query(`UPDATE connected_accounts SET label = 'rolled back' WHERE id = $1`, [account.id]);
        expect((await accountCache.get(projectId, account.id))?.label).toBe('rolled back');
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(accountCache.active).toBe(true);
    expect((await accountCache.get(projectId, account.id))?.label).toBe('committed');
  });
});
