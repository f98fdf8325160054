import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCredentials } from '../src/accounts/credentials.js';
import { connectUser, createSandboxAuthConfig, dumpDatabase, sandboxFor } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

interface Account {
  id: string;
  userId: string;
  status: string;
  label: string | null;
  scopes: string[];
  accessTokenExpiresAt: string | null;
  upstreamAccount: { id: string } | null;
}

describeEachDatabase('connect: users link their own sandbox accounts', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let acme: { apiKey: string; authConfigId: string };
  let other: { apiKey: string; authConfigId: string };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    const a = await gh.createProject('acme agents');
    const b = await gh.createProject('other app');
    acme = {
      apiKey: a.apiKey,
      authConfigId: await createSandboxAuthConfig(gh, a.apiKey, sandbox, started.client),
    };
    other = {
      apiKey: b.apiKey,
      authConfigId: await createSandboxAuthConfig(gh, b.apiKey, sandbox, started.client),
    };
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const accountsOf = async (key: string, userId: string) =>
    ((await gh.call('GET', `/v1/connected-accounts?userId=${userId}`, { key })).body as { items: Account[] })
      .items;

  it('alice and bob of one project and carol of another each end with their own ACTIVE account', async () => {
    const alice = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'alice', authConfigId: acme.authConfigId },
      { username: 'alice' },
    );
    const bob = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'bob', authConfigId: acme.authConfigId },
      { username: 'bob' },
    );
    const carol = await connectUser(
      gh,
      other.apiKey,
      { userId: 'carol', authConfigId: other.authConfigId },
      { username: 'carol' },
    );
    for (const outcome of [alice, bob, carol]) {
      expect(outcome.callback.status, outcome.callback.text).toBe(200);
      expect(outcome.callback.text).toContain('Connected');
      expect(outcome.link.status).toBe('COMPLETED');
    }
    const [aliceAccount] = await accountsOf(acme.apiKey, 'alice');
    expect(aliceAccount).toMatchObject({
      userId: 'alice',
      status: 'ACTIVE',
      upstreamAccount: { id: 'alice' },
    });
    expect(aliceAccount!.scopes).toEqual(expect.arrayContaining(['openid', 'tasks:read']));
    const expiresIn = Date.parse(aliceAccount!.accessTokenExpiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(3000 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(3600 * 1000);
    expect((await accountsOf(acme.apiKey, 'bob'))[0]).toMatchObject({
      status: 'ACTIVE',
      upstreamAccount: { id: 'bob' },
    });
    // Project isolation: acme sees no carol, the other project sees only carol and cannot read alice's account.
    expect(await accountsOf(acme.apiKey, 'carol')).toEqual([]);
    expect(
      (
        (await gh.call('GET', '/v1/connected-accounts', { key: other.apiKey })).body as { items: Account[] }
      ).items.map((a) => a.userId),
    ).toEqual(['carol']);
    const peek = await gh.call('GET', `/v1/connected-accounts/${aliceAccount!.id}`, { key: other.apiKey });
    expect(peek.status).toBe(404);
  });

  it('alice adds a second account labelled "work"; reconnecting the same upstream account updates it', async () => {
    const work = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'alice', authConfigId: acme.authConfigId, label: 'work' },
      { username: 'carol' },
    );
    expect(work.link.status).toBe('COMPLETED');
    let accounts = await accountsOf(acme.apiKey, 'alice');
    expect(accounts.map((a) => [a.label, a.upstreamAccount?.id]).sort()).toEqual([
      [null, 'alice'],
      ['work', 'carol'],
    ]);
    const personal = accounts.find((a) => a.label === null)!;
    const again = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'alice', authConfigId: acme.authConfigId, scopes: ['openid', 'tasks:read', 'tasks:write'] },
      { username: 'alice' },
    );
    expect(again.link.connectedAccountId).toBe(personal.id);
    accounts = await accountsOf(acme.apiKey, 'alice');
    expect(accounts).toHaveLength(2);
    expect(accounts.find((a) => a.id === personal.id)!.scopes).toContain('tasks:write');
  });

  it('no table holds an access token, refresh token, client secret or PKCE verifier in plaintext', async () => {
    const issued = sandbox.issuedTokens();
    expect(issued.accessTokens.length).toBeGreaterThanOrEqual(4);
    expect(issued.refreshTokens.length).toBeGreaterThanOrEqual(4);
    const dump = await dumpDatabase(gh.server.runtime.db);
    expect(dump).toContain('connected_accounts');
    for (const token of [...issued.accessTokens, ...issued.refreshTokens]) expect(dump).not.toContain(token);
    const logs = gh.logs.text();
    for (const token of [...issued.accessTokens, ...issued.refreshTokens]) expect(logs).not.toContain(token);
    // The ciphertext really holds them: the vault opens alice's credentials to a token the sandbox issued.
    const [account] = await accountsOf(acme.apiKey, 'bob');
    const row = await gh.server.runtime.accountStore.get(
      (await gh.server.runtime.accountStore.get(await projectOf(acme.apiKey), account!.id))!.projectId,
      account!.id,
    );
    const creds = await openCredentials(
      gh.server.runtime.vault,
      row!.projectId,
      row!.id,
      row!.credentialsCt!,
    );
    expect(creds.ok && issued.accessTokens.includes(creds.value.accessToken ?? '')).toBe(true);
  });

  it('deleting an account revokes the grant at the provider and removes the ciphertext', async () => {
    const [carol] = (
      (await gh.call('GET', '/v1/connected-accounts?userId=carol', { key: other.apiKey })).body as {
        items: Account[];
      }
    ).items;
    const row = await gh.server.runtime.accountStore.get(await projectOf(other.apiKey), carol!.id);
    const creds = await openCredentials(
      gh.server.runtime.vault,
      row!.projectId,
      row!.id,
      row!.credentialsCt!,
    );
    if (!creds.ok) throw new Error('unreadable');
    const before = await fetch(`${sandbox.apiBaseUrl}/me`, {
      headers: { authorization: `Bearer ${creds.value.accessToken}` },
    });
    expect(before.status).toBe(200);
    const res = await gh.call('DELETE', `/v1/connected-accounts/${carol!.id}`, { key: other.apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ deleted: true, revokedAtProvider: true });
    const after = await fetch(`${sandbox.apiBaseUrl}/me`, {
      headers: { authorization: `Bearer ${creds.value.accessToken}` },
    });
    expect(after.status).toBe(401);
    expect((await gh.call('GET', `/v1/connected-accounts/${carol!.id}`, { key: other.apiKey })).status).toBe(
      404,
    );
    expect(await dumpDatabase(gh.server.runtime.db)).not.toContain(row!.credentialsCt!);
  });

  async function projectOf(key: string): Promise<string> {
    const auth = await gh.server.runtime.apiKeys.authenticate(key);
    if (!auth.ok) throw new Error('bad key');
    return auth.value.projectId;
  }
});
