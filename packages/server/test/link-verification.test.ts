import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCredentials } from '../src/accounts/credentials.js';
import { generateMasterKey } from '../src/vault/kms.js';
import {
  Browser,
  completeLink,
  connectUser,
  createSandboxAuthConfig,
  dumpDatabase,
  sandboxFor,
} from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const VERIFIER = 'http://127.0.0.1:9/connect/verify';

interface Held {
  linkId: string;
  /** Where Gatehouse sent the browser after the provider sign-in. */
  callback: { status: number; location: string | null; text: string };
  assertion: string;
}

describeEachDatabase('link verification: a Connect Link saves only for the user the app confirms', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let acme: { projectId: string; apiKey: string; authConfigId: string };
  let plain: { apiKey: string; authConfigId: string };

  // Shared with a second replica (short verification window) over the same database.
  const masterKey = generateMasterKey();

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_MASTER_KEY: masterKey });
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    const a = await gh.createProject('acme agents');
    const b = await gh.createProject('no verification');
    acme = { ...a, authConfigId: await createSandboxAuthConfig(gh, a.apiKey, sandbox, started.client) };
    plain = {
      apiKey: b.apiKey,
      authConfigId: await createSandboxAuthConfig(gh, b.apiKey, sandbox, started.client),
    };
    const put = await gh.call('PUT', '/v1/settings/connect', {
      key: acme.apiKey,
      body: { userVerification: { enabled: true, verifierUrl: VERIFIER } },
    });
    expect(put.status, put.text).toBe(200);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const accountsOf = async (key: string, userId: string) =>
    ((await gh.call('GET', `/v1/connected-accounts?userId=${userId}`, { key })).body as { items: unknown[] })
      .items;

  /** The app makes a link for `userId`; whoever holds the URL signs in at the provider as `signsIn`. */
  async function openedBy(userId: string, signsIn: string, server = gh, p = acme): Promise<Held> {
    const created = await server.call('POST', '/v1/connect/links', {
      key: p.apiKey,
      body: { userId, authConfigId: p.authConfigId },
    });
    expect(created.status, created.text).toBe(201);
    const { id, redirectUrl } = created.body as { id: string; redirectUrl: string };
    const callback = await completeLink(redirectUrl, { username: signsIn }, new Browser());
    const location = new URL(callback.location ?? 'http://invalid/');
    return { linkId: id, callback, assertion: location.searchParams.get('assertion') ?? '' };
  }

  const confirm = (linkId: string, userId: string, assertion: string, server = gh, key = acme.apiKey) =>
    server.call('POST', `/v1/connect/links/${linkId}/confirm`, { key, body: { userId, assertion } });

  /** The tokens held on a VERIFYING link (read with the server's vault, to search for them). */
  async function heldTokens(linkId: string): Promise<string[]> {
    const rt = gh.server.runtime;
    const { rows } = await rt.db.query<{ pending_ct: string }>(
      'SELECT pending_ct FROM connect_links WHERE id = $1',
      [linkId],
    );
    const opened = await rt.vault.decrypt(
      acme.projectId,
      { table: 'connect_links', rowId: linkId, purpose: 'pending_connection' },
      rows[0]!.pending_ct,
    );
    if (!opened.ok) throw new Error(opened.error.message);
    const { tokens } = JSON.parse(opened.value) as { tokens: { accessToken: string; refreshToken?: string } };
    return [tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : [])];
  }

  it('settings: off by default, admin-only, and a verifier URL is required to turn it on', async () => {
    const fresh = await gh.call('GET', '/v1/settings/connect', { key: plain.apiKey });
    expect(fresh.body).toMatchObject({ userVerification: { enabled: false }, version: 0 });
    const missing = await gh.call('PUT', '/v1/settings/connect', {
      key: plain.apiKey,
      body: { userVerification: { enabled: true } },
    });
    expect(missing.status).toBe(400);
    const badUrl = await gh.call('PUT', '/v1/settings/connect', {
      key: plain.apiKey,
      body: { userVerification: { enabled: true, verifierUrl: 'not a url' } },
    });
    expect(badUrl.status).toBe(400);
    expect((await gh.call('GET', '/v1/settings/connect', { key: acme.apiKey })).body).toMatchObject({
      userVerification: { enabled: true, verifierUrl: VERIFIER },
    });
  });

  it("mallory's browser completes alice's link as bob: the app, signed in as bob, is refused and nothing is saved", async () => {
    const held = await openedBy('alice', 'bob');
    expect(held.callback.status).toBe(303);
    const location = new URL(held.callback.location!);
    expect(`${location.origin}${location.pathname}`).toBe(VERIFIER);
    expect(location.searchParams.get('connect_link_id')).toBe(held.linkId);
    expect(location.searchParams.get('user_id')).toBe('alice');
    const waiting = await gh.call('GET', `/v1/connect/links/${held.linkId}`, { key: acme.apiKey });
    expect(waiting.body).toMatchObject({ status: 'VERIFYING', connectedAccountId: null });
    const tokens = await heldTokens(held.linkId);

    const refused = await confirm(held.linkId, 'bob', held.assertion);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'user_mismatch' } });
    // The link is burned: even the right user id cannot use it now.
    const after = await confirm(held.linkId, 'alice', held.assertion);
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ error: { code: 'link_failed' } });
    const link = await gh.call('GET', `/v1/connect/links/${held.linkId}`, { key: acme.apiKey });
    expect(link.body).toMatchObject({ status: 'FAILED', failure: { code: 'user_mismatch' } });

    expect(await accountsOf(acme.apiKey, 'alice')).toEqual([]);
    expect(await accountsOf(acme.apiKey, 'bob')).toEqual([]);
    for (const token of tokens) {
      for (const seen of [held.callback.location!, held.callback.text, refused.text, after.text, link.text])
        expect(seen).not.toContain(token);
    }
    const { rows } = await gh.server.runtime.db.query<{ pending_ct: string | null }>(
      'SELECT pending_ct FROM connect_links WHERE id = $1',
      [held.linkId],
    );
    expect(rows[0]!.pending_ct).toBeNull();
  });

  it('alice opens her link and the app confirms alice: her account is saved; the assertion cannot be replayed', async () => {
    const held = await openedBy('alice', 'alice');
    expect(held.callback.status).toBe(303);
    expect(await accountsOf(acme.apiKey, 'alice')).toEqual([]);
    const tokens = await heldTokens(held.linkId);

    const confirmed = await confirm(held.linkId, 'alice', held.assertion);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({ id: held.linkId, status: 'COMPLETED', userId: 'alice' });
    const accounts = (await accountsOf(acme.apiKey, 'alice')) as Array<{ id: string }>;
    expect(accounts).toMatchObject([{ userId: 'alice', status: 'ACTIVE', upstreamAccount: { id: 'alice' } }]);
    expect((confirmed.body as { connectedAccountId: string }).connectedAccountId).toBe(accounts[0]!.id);

    // What is saved is what the provider issued, and it appears nowhere but in the vault.
    const rt = gh.server.runtime;
    const row = await rt.accountStore.get(acme.projectId, accounts[0]!.id);
    const creds = await openCredentials(rt.vault, acme.projectId, row!.id, row!.credentialsCt!);
    expect(creds.ok && creds.value.accessToken).toBe(tokens[0]);

    const replayed = await confirm(held.linkId, 'alice', held.assertion);
    expect(replayed.status).toBe(410);
    expect(replayed.body).toMatchObject({ error: { code: 'link_used' } });
    const dump = await dumpDatabase(rt.db);
    for (const token of tokens) {
      for (const seen of [held.callback.location!, confirmed.text, replayed.text, dump])
        expect(seen).not.toContain(token);
    }
    expect(gh.logs.text()).not.toContain(tokens[0]!);
  });

  it('an assertion for another link, a forged one, or a confirm before any sign-in is refused', async () => {
    const first = await openedBy('carol', 'carol');
    const second = await openedBy('carol', 'carol');
    const crossed = await confirm(second.linkId, 'carol', first.assertion);
    expect(crossed.status).toBe(401);
    expect(crossed.body).toMatchObject({ error: { code: 'invalid_token' } });
    const [h, p] = first.assertion.split('.');
    const forged = `${h}.${p}.${'A'.repeat(86)}`;
    expect((await confirm(first.linkId, 'carol', forged)).body).toMatchObject({
      error: { code: 'invalid_token' },
    });
    // Refusals of the assertion leave the held sign-in alone: the real one still confirms.
    expect((await confirm(first.linkId, 'carol', first.assertion)).status).toBe(200);

    const fresh = await gh.call('POST', '/v1/connect/links', {
      key: acme.apiKey,
      body: { userId: 'dave', authConfigId: acme.authConfigId },
    });
    const freshId = (fresh.body as { id: string }).id;
    const early = await confirm(freshId, 'dave', second.assertion);
    expect(early.status).toBe(401); // an assertion of another link
    // Another project cannot confirm acme's link, even with a genuine assertion.
    const foreign = await confirm(second.linkId, 'carol', second.assertion, gh, plain.apiKey);
    expect(foreign.status).toBe(404);
  });

  it('an expired assertion is refused and the held sign-in is dropped', async () => {
    const quick = await startTestGatehouse(
      t.db(),
      { GATEHOUSE_MASTER_KEY: masterKey },
      { linkVerificationTtlMs: 1_000 },
    );
    const own = await sandboxFor(quick);
    try {
      const p = {
        ...acme,
        authConfigId: await createSandboxAuthConfig(quick, acme.apiKey, own.sandbox, own.client),
      };
      const held = await openedBy('alice', 'alice', quick, p);
      expect(held.callback.status).toBe(303);
      await new Promise((r) => setTimeout(r, 2_100));
      const late = await confirm(held.linkId, 'alice', held.assertion, quick);
      expect(late.status).toBe(401);
      expect(late.body).toMatchObject({ error: { code: 'invalid_token' } });
      expect((late.body as { error: { message: string } }).error.message).toContain('expired');
      const link = await quick.call('GET', `/v1/connect/links/${held.linkId}`, { key: acme.apiKey });
      expect(link.body).toMatchObject({ status: 'FAILED', failure: { code: 'link_expired' } });
    } finally {
      await quick.close();
      await own.sandbox.close();
    }
  });

  it('a held sign-in nobody confirms is dropped once its link expires, when the project holds the next one', async () => {
    const abandoned = await openedBy('erin', 'alice');
    const db = gh.server.runtime.db;
    await db.query("UPDATE connect_links SET expires_at = now() - interval '1 second' WHERE id = $1", [
      abandoned.linkId,
    ]);
    const heldCt = async () =>
      (
        await db.query<{ pending_ct: string | null }>('SELECT pending_ct FROM connect_links WHERE id = $1', [
          abandoned.linkId,
        ])
      ).rows[0]!.pending_ct;
    expect(await heldCt()).not.toBeNull();
    await openedBy('frank', 'bob');
    expect(await heldCt()).toBeNull();
    const link = await gh.call('GET', `/v1/connect/links/${abandoned.linkId}`, { key: acme.apiKey });
    expect(link.body).toMatchObject({ status: 'FAILED', failure: { code: 'link_expired' } });
  });

  it('verification off: a link completes at the callback exactly as before', async () => {
    const outcome = await connectUser(
      gh,
      plain.apiKey,
      { userId: 'alice', authConfigId: plain.authConfigId },
      { username: 'alice' },
    );
    expect(outcome.callback.status, outcome.callback.text).toBe(200);
    expect(outcome.callback.text).toContain('Connected');
    expect(outcome.link.status).toBe('COMPLETED');
    expect(await accountsOf(plain.apiKey, 'alice')).toHaveLength(1);
  });
});
