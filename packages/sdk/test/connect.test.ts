import type { Sandbox } from '@gatehouse/sandbox';
import { completeAuthorization } from '@gatehouse/sandbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/src/store/db.js';
import { Browser, sandboxFor } from '../../server/test/support/connect.js';
import { startTestGatehouse, type TestGatehouse } from '../../server/test/support/gatehouse.js';
import { ConnectionFailedError, Gatehouse, GatehouseApiError } from '../src/index.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let client: { clientId: string; clientSecret: string };
let sdk: Gatehouse;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  ({ sandbox, client } = await sandboxFor(gh));
  sdk = new Gatehouse({ baseUrl: gh.url, apiKey: (await gh.createProject('sdk')).apiKey });
}, 300_000);
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

/** What the end user does in their browser, in the background while the app waits. */
async function userCompletes(
  redirectUrl: string,
  login: { username: string; password: string },
  decision: 'approve' | 'deny' = 'approve',
) {
  const browser = new Browser();
  await browser.fetch(redirectUrl);
  const url = new URL(redirectUrl);
  const start = await browser.fetch(`${url.origin}${url.pathname}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: url.searchParams.get('key')! }).toString(),
  });
  await browser.fetch(await completeAuthorization(start.location!, login, { decision }));
}

describe('SDK: connect a user and wait for the connection', () => {
  it('creates an auth config, links alice and resolves with her ACTIVE account', async () => {
    const config = await sdk.authConfigs.create({
      providerId: 'sandbox',
      ...client,
      settings: { baseUrl: sandbox.url },
    });
    expect(config).toMatchObject({ providerId: 'sandbox', hasClientSecret: true });
    expect(JSON.stringify(config)).not.toContain(client.clientSecret);
    const link = await sdk.connectedAccounts.link({
      userId: 'alice',
      authConfigId: config.id,
      label: 'personal',
    });
    const [account] = await Promise.all([
      sdk.connectedAccounts.waitForConnection(link.id, { timeoutMs: 20_000, pollIntervalMs: 50 }),
      userCompletes(link.redirectUrl, { username: 'alice', password: 'alice-pass' }),
    ]);
    expect(account).toMatchObject({
      userId: 'alice',
      status: 'ACTIVE',
      label: 'personal',
      upstreamAccount: { id: 'alice' },
    });
    expect((await sdk.connectedAccounts.list({ userId: 'alice' })).items.map((a) => a.id)).toEqual([
      account.id,
    ]);
    expect((await sdk.connectedAccounts.get(account.id)).status).toBe('ACTIVE');
    expect(await sdk.connectedAccounts.delete(account.id)).toMatchObject({
      deleted: true,
      revokedAtProvider: true,
    });
  });

  it('rejects with a typed error when the user denies, and on timeout', async () => {
    const config = (await sdk.authConfigs.list({ providerId: 'sandbox' })).items[0]!;
    const denied = await sdk.connectedAccounts.link({ userId: 'bob', authConfigId: config.id });
    const [outcome] = await Promise.allSettled([
      sdk.connectedAccounts.waitForConnection(denied.id, { timeoutMs: 20_000, pollIntervalMs: 50 }),
      userCompletes(denied.redirectUrl, { username: 'bob', password: 'bob-pass' }, 'deny'),
    ]);
    expect(outcome.status).toBe('rejected');
    const err = (outcome as PromiseRejectedResult).reason as ConnectionFailedError;
    expect(err).toBeInstanceOf(ConnectionFailedError);
    expect(err.code).toBe('provider_denied');

    const idle = await sdk.connectedAccounts.link({ userId: 'bob', authConfigId: config.id });
    await expect(
      sdk.connectedAccounts.waitForConnection(idle.id, { timeoutMs: 200, pollIntervalMs: 50 }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });

  it('surfaces server errors with their code', async () => {
    const err = await sdk.connectedAccounts.get('ca_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
    const bad = new Gatehouse({ baseUrl: gh.url, apiKey: 'gth_sk_nope' });
    await expect(bad.connectedAccounts.list()).rejects.toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
  });
});
