import type { Sandbox } from '@gatehouse/sandbox';
import { completeAuthorization } from '@gatehouse/sandbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/db.js';
import { Browser, connectUser, createSandboxAuthConfig, sandboxFor } from './support/connect.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let apiKey: string;
let authConfigId: string;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  apiKey = (await gh.createProject('failures')).apiKey;
  authConfigId = await createSandboxAuthConfig(gh, apiKey, sandbox, started.client, {
    allowedScopes: ['openid', 'offline_access', 'tasks:read', 'tasks:write'],
    branding: { displayName: 'Task Pilot', accentColor: '#0b7285' },
  });
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

/** Opens a link and starts the flow in `browser`; returns the provider callback URL for alice. */
async function startFlow(browser: Browser, body: Record<string, unknown> = {}) {
  const created = await gh.call('POST', '/v1/connect/links', {
    key: apiKey,
    body: { userId: 'alice', authConfigId, ...body },
  });
  const { id, redirectUrl } = created.body as { id: string; redirectUrl: string };
  const key = new URL(redirectUrl).searchParams.get('key')!;
  const start = await browser.fetch(`${gh.url}/connect/${id}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key }).toString(),
  });
  return { id, redirectUrl, providerUrl: start.location! };
}

const linkStatus = async (id: string) =>
  (await gh.call('GET', `/v1/connect/links/${id}`, { key: apiKey })).body as {
    status: string;
    failure: { code: string } | null;
    connectedAccountId: string | null;
  };

describe('a Connect Link that goes wrong ends on a clear page and a FAILED status with a reason', () => {
  it('tampered state', async () => {
    const browser = new Browser();
    const { id, providerUrl } = await startFlow(browser);
    const callback = new URL(
      await completeAuthorization(providerUrl, { username: 'alice', password: 'alice-pass' }),
    );
    callback.searchParams.set('state', `${id}.${'x'.repeat(32)}`);
    const res = await browser.fetch(callback.toString());
    expect(res.status).toBe(400);
    expect(res.text).toContain('state mismatch');
    expect(res.text).toContain('Task Pilot');
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|Error:/);
    expect(await linkStatus(id)).toMatchObject({ status: 'FAILED', failure: { code: 'state_mismatch' } });
  });

  it('replayed state: the second use is refused and nothing changes', async () => {
    const browser = new Browser();
    const { id, providerUrl } = await startFlow(browser);
    const callbackUrl = await completeAuthorization(providerUrl, {
      username: 'alice',
      password: 'alice-pass',
    });
    expect((await browser.fetch(callbackUrl)).status).toBe(200);
    const first = await linkStatus(id);
    const replay = await browser.fetch(callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used');
    // A completed connection is not undone by a replay; it stays bound to the same account.
    expect(await linkStatus(id)).toMatchObject({
      status: 'COMPLETED',
      connectedAccountId: first.connectedAccountId,
    });
  });

  it('state presented without its cookie (another browser)', async () => {
    const { id, providerUrl } = await startFlow(new Browser());
    const callbackUrl = await completeAuthorization(providerUrl, {
      username: 'alice',
      password: 'alice-pass',
    });
    const res = await new Browser().fetch(callbackUrl);
    expect(res.status).toBe(400);
    expect(res.text).toContain('without the cookie');
    expect(await linkStatus(id)).toMatchObject({ status: 'FAILED', failure: { code: 'browser_mismatch' } });
  });

  it('state presented with another browser’s cookie', async () => {
    const { id, providerUrl } = await startFlow(new Browser());
    const callbackUrl = await completeAuthorization(providerUrl, {
      username: 'alice',
      password: 'alice-pass',
    });
    const attacker = new Browser();
    await startFlow(attacker); // gives the attacker a Gatehouse browser cookie of its own
    const res = await attacker.fetch(callbackUrl);
    expect(res.status).toBe(400);
    expect(await linkStatus(id)).toMatchObject({ status: 'FAILED', failure: { code: 'browser_mismatch' } });
  });

  it('expired link', async () => {
    const browser = new Browser();
    const created = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'alice', authConfigId },
    });
    const { id, redirectUrl } = created.body as { id: string; redirectUrl: string };
    await gh.server.runtime.db.query(
      "UPDATE connect_links SET expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    expect((await linkStatus(id)).status).toBe('EXPIRED');
    const page = await browser.fetch(redirectUrl);
    expect(page.status).toBe(400);
    expect(page.text).toContain('expired');
    expect(await linkStatus(id)).toMatchObject({ status: 'FAILED', failure: { code: 'link_expired' } });
  });

  it('the user denies consent at the provider', async () => {
    const outcome = await connectUser(
      gh,
      apiKey,
      { userId: 'alice', authConfigId },
      { username: 'alice', decision: 'deny' },
    );
    expect(outcome.callback.status).toBe(400);
    expect(outcome.callback.text).toContain('access_denied');
    expect(outcome.link).toMatchObject({ status: 'FAILED', failure: { code: 'provider_denied' } });
  });

  it('the code exchange fails at the provider', async () => {
    const browser = new Browser();
    const { id, providerUrl } = await startFlow(browser);
    const callbackUrl = await completeAuthorization(providerUrl, {
      username: 'alice',
      password: 'alice-pass',
    });
    sandbox.faults.add({
      match: { pathPrefix: '/oauth/token', method: 'POST' },
      kind: 'status',
      status: 503,
      times: 1,
    });
    const res = await browser.fetch(callbackUrl);
    expect(res.status).toBe(400);
    expect(await linkStatus(id)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'token_exchange_failed' },
    });
  });

  it('a callback URL gets the outcome on failure and success', async () => {
    const callbackUrl = 'http://127.0.0.1:9/app/connected';
    const denied = await connectUser(
      gh,
      apiKey,
      { userId: 'alice', authConfigId, callbackUrl },
      { username: 'alice', decision: 'deny' },
    );
    expect(denied.callback.text).toContain(`${callbackUrl}?status=failed&amp;error=provider_denied`);
    const ok = await connectUser(
      gh,
      apiKey,
      { userId: 'alice', authConfigId, callbackUrl },
      { username: 'alice' },
    );
    expect(ok.callback.status).toBe(303);
    const location = new URL(ok.callback.location!);
    expect(location.origin + location.pathname).toBe(callbackUrl);
    expect(location.searchParams.get('status')).toBe('success');
    expect(location.searchParams.get('connected_account_id')).toBe(ok.link.connectedAccountId);
  });
});

describe('links refuse what they must not do', () => {
  it('a wrong key or unknown link shows "not valid" and reveals nothing', async () => {
    const created = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'alice', authConfigId },
    });
    const { redirectUrl } = created.body as { redirectUrl: string };
    const wrong = new URL(redirectUrl);
    wrong.searchParams.set('key', 'nope');
    const res = await new Browser().fetch(wrong.toString());
    expect(res.status).toBe(404);
    expect(res.text).toContain('not valid');
    expect(res.text).not.toContain('alice');
    expect((await new Browser().fetch(`${gh.url}/oauth/callback?state=garbage&code=x`)).status).toBe(404);
  });

  it('scopes above the auth config’s ceiling are refused before any redirect', async () => {
    const res = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'alice', authConfigId, scopes: ['tasks:delete'] },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'scope_not_allowed' } });
  });

  it('the hosted page carries the branding and says what will be shared', async () => {
    const created = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'alice', authConfigId, scopes: ['tasks:write'] },
    });
    const page = await fetch((created.body as { redirectUrl: string }).redirectUrl);
    const html = await page.text();
    expect(html).toContain('Task Pilot');
    expect(html).toContain('#0b7285');
    expect(html).toContain('Create and update the user&#39;s tasks');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('bad link input gets a 400 naming the field', async () => {
    const res = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: '', authConfigId, callbackUrl: 'javascript:alert(1)' },
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toContain('body.userId');
    const badUrl = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'a', authConfigId, callbackUrl: 'javascript:alert(1)' },
    });
    expect(badUrl.status).toBe(400);
    const unknown = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'a', authConfigId: 'ac_nope' },
    });
    expect(unknown.status).toBe(404);
  });
});
