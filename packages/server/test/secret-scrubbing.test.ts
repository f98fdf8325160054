import type { Sandbox } from '@gatehouse/sandbox';
import { completeAuthorization } from '@gatehouse/sandbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/db.js';
import { projectWithConnectedUsers } from './support/broker.js';
import { Browser, dumpDatabase, sandboxFor } from './support/connect.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let client: { clientId: string; clientSecret: string };
let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  client = started.client;
  acme = await projectWithConnectedUsers(gh, sandbox, client, ['alice', 'bob']);
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** A secret as it could appear in any output: raw, URL-encoded, JSON-escaped, base64 at any alignment. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    b64(secret).slice(0, -4),
    b64url(secret).slice(0, -4),
    // Inside longer base64: drop the characters shared with the bytes around it.
    b64(`x${secret}`).slice(4, -4),
    b64(`xy${secret}`).slice(4, -4),
    b64url(`xy${secret}`).slice(4, -4),
  ];
}

/** Every secret in play, in every encoding, looked for in everything Gatehouse said, stored or logged. */
async function expectNoSecretIn(outputs: Record<string, string>, secrets: string[]): Promise<void> {
  const everywhere: Record<string, string> = {
    ...outputs,
    database: await dumpDatabase(gh.server.runtime.db),
    logs: gh.logs.text(),
  };
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThanOrEqual(8);
    for (const form of forms(secret))
      for (const [where, text] of Object.entries(everywhere))
        expect(text.includes(form), `a secret (${form.slice(0, 6)}…) appears in ${where}`).toBe(false);
  }
}

const tokensOfSandbox = () => [
  ...sandbox.issuedTokens().accessTokens,
  ...sandbox.issuedTokens().refreshTokens,
];

describe('an upstream that echoes the credentials gets nothing to the agent', () => {
  it('binary (application/octet-stream) answers are scrubbed before they are base64-encoded', async () => {
    const res = await gh.call('POST', '/v1/proxy', {
      key: acme.apiKey,
      body: { connectedAccountId: acme.accounts.alice, method: 'GET', path: '/debug/token.bin' },
    });
    expect(res.status).toBe(200);
    const out = res.body as { status: number; body: string; bodyEncoding: string };
    expect(out).toMatchObject({ status: 200, bodyEncoding: 'base64' });
    const bytes = Buffer.from(out.body, 'base64');
    expect(bytes.toString('latin1')).toContain('Authorization: Bearer [REDACTED]');
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0xff, 0x01, 0x89]); // the rest of the body survives
    await expectNoSecretIn({ 'proxy response': res.text, 'decoded body': bytes.toString('latin1') }, [
      ...tokensOfSandbox(),
      client.clientSecret,
    ]);
  });
});

describe('a token endpoint that quotes secrets in its error is reduced to its error code', () => {
  it('a failed refresh: the 502 to the agent, the account row and the logs hold no token or client secret', async () => {
    const quoted = [...sandbox.issuedTokens().refreshTokens, client.clientSecret];
    const description = quoted
      .map((s) => `${s} ${encodeURIComponent(s)} ${b64(`rt:${s}`)} ${b64url(s)}`)
      .join(' | ');
    sandbox.faults.add({
      match: { pathPrefix: '/oauth/token', method: 'POST' },
      kind: 'status',
      status: 400,
      body: { error: 'server_error', error_description: `refresh failed for ${description}` },
    });
    const res = await gh.call('POST', `/v1/connected-accounts/${acme.accounts.alice}/refresh`, {
      key: acme.apiKey,
    });
    expect(res.status).toBe(502);
    const error = (res.body as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('token_refresh_failed');
    expect(error.message).toContain('server_error');
    expect(error.message).not.toContain('refresh failed for');
    // A provider that puts a secret in the error code itself gets `unknown_error`.
    sandbox.faults.add({
      match: { pathPrefix: '/oauth/token', method: 'POST' },
      kind: 'status',
      status: 400,
      body: { error: client.clientSecret },
    });
    const again = await gh.call('POST', `/v1/connected-accounts/${acme.accounts.alice}/refresh`, {
      key: acme.apiKey,
    });
    expect((again.body as { error: { message: string } }).error.message).toContain('unknown_error');
    const logged = gh.logs.records().filter((l) => l.msg === 'token refresh failed');
    expect(logged.map((l) => l.provider_error)).toEqual(['server_error', 'unknown_error']);
    await expectNoSecretIn({ 'refresh answer': res.text, 'second refresh answer': again.text }, [
      ...tokensOfSandbox(),
      client.clientSecret,
      acme.apiKey,
    ]);
  });

  it('a failed code exchange: the error page, the link API and the connect_links row hold no code, verifier or secret', async () => {
    const browser = new Browser();
    const created = await gh.call('POST', '/v1/connect/links', {
      key: acme.apiKey,
      body: { userId: 'carol', authConfigId: acme.authConfigId },
    });
    const { id, redirectUrl } = created.body as { id: string; redirectUrl: string };
    const start = await browser.fetch(`${gh.url}/connect/${id}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: new URL(redirectUrl).searchParams.get('key')! }).toString(),
    });
    const callbackUrl = await completeAuthorization(start.location!, {
      username: 'carol',
      password: 'carol-pass',
    });
    const code = new URL(callbackUrl).searchParams.get('code')!;
    sandbox.faults.add({
      match: { pathPrefix: '/oauth/token', method: 'POST' },
      kind: 'status',
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `code ${code} (${b64(code)}) is not valid for client secret ${client.clientSecret}`,
      },
    });
    const page = await browser.fetch(callbackUrl);
    expect(page.status).toBe(400);
    expect(page.text).toContain('invalid_grant');
    expect(page.text).not.toContain('is not valid for client secret');
    const link = await gh.call('GET', `/v1/connect/links/${id}`, { key: acme.apiKey });
    expect(link.body).toMatchObject({ status: 'FAILED', failure: { code: 'token_exchange_failed' } });
    const { rows } = await gh.server.runtime.db.query<{ failure_message: string }>(
      'SELECT failure_message FROM connect_links WHERE id = $1',
      [id],
    );
    expect(rows[0]?.failure_message).toMatch(/^The provider's token endpoint answered invalid_grant\./);
    await expectNoSecretIn({ 'error page': page.text, 'link API': link.text }, [
      code,
      client.clientSecret,
      ...tokensOfSandbox(),
    ]);
  });

  it('a provider error at the callback shows the code and a fixed sentence, never the provider’s text', async () => {
    const browser = new Browser();
    const created = await gh.call('POST', '/v1/connect/links', {
      key: acme.apiKey,
      body: { userId: 'carol', authConfigId: acme.authConfigId },
    });
    const { id, redirectUrl } = created.body as { id: string; redirectUrl: string };
    const start = await browser.fetch(`${gh.url}/connect/${id}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: new URL(redirectUrl).searchParams.get('key')! }).toString(),
    });
    const denied = new URL(
      await completeAuthorization(
        start.location!,
        { username: 'carol', password: 'carol-pass' },
        { decision: 'deny' },
      ),
    );
    // The provider (or anyone editing the URL) writes what it likes into error_description.
    denied.searchParams.set('error_description', `<b>call 555-0100</b> secret ${client.clientSecret}`);
    const page = await browser.fetch(denied.toString());
    expect(page.status).toBe(400);
    expect(page.text).toContain('access_denied');
    expect(page.text).toContain('Access was declined at the provider.');
    expect(page.text).not.toContain('555-0100');
    const link = await gh.call('GET', `/v1/connect/links/${id}`, { key: acme.apiKey });
    expect(link.text).not.toContain('555-0100');
    await expectNoSecretIn({ 'error page': page.text, 'link API': link.text }, [client.clientSecret]);
  });
});

describe('authorization_required answers keep their connect link expiry', () => {
  it('a user who already has an account but lacks a scope gets a link with an ISO expiresAt', async () => {
    const res = await gh.call('POST', '/v1/tools/acme.tasks.delete/execute', {
      key: acme.apiKey,
      body: { userId: 'bob', arguments: { id: 'task_1' } },
    });
    const body = res.body as {
      error: { code: string; details: { reason: string; connectLink: { expiresAt: unknown } } };
    };
    expect(body.error).toMatchObject({
      code: 'authorization_required',
      details: { reason: 'missing_scopes' },
    });
    expect(typeof body.error.details.connectLink.expiresAt).toBe('string');
    expect(Date.parse(body.error.details.connectLink.expiresAt as string)).toBeGreaterThan(Date.now());
  });
});
