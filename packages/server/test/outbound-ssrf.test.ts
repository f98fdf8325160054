import { lookup as dnsLookup } from 'node:dns';
import { createServer, type Server } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCredentials } from '../src/accounts/credentials.js';
import {
  BlockedAddressError,
  hostIsBlockedLiteral,
  isPrivateAddress,
  type LookupFunction,
} from '../src/outbound/address-policy.js';
import { Outbound } from '../src/outbound/client.js';
import { openPglite } from '../src/store/db.js';
import { Browser } from './support/connect.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { eventually } from './support/webhook-receiver.js';

/** A loopback TCP listener that only counts who connects: nothing in this file may reach it. */
async function trap(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A DNS server that answers loopback for *.rebind.test: a name that looks public at input time. */
const lookups: string[] = [];
const rebindingLookup = ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
  if (!hostname.endsWith('.rebind.test')) return dnsLookup(hostname, options, callback as never);
  lookups.push(hostname);
  const answers = hostname.startsWith('mixed.')
    ? [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]
    : [{ address: '127.0.0.1', family: 4 }];
  if ((options as { all?: boolean }).all) return callback(null, answers);
  return callback(null, answers[0]!.address, answers[0]!.family);
}) as LookupFunction;

describe('the address classifier: only public unicast is reachable', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.1',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::127.0.0.1', // IPv4-compatible
    '::7f00:1', // the same, as WHATWG URL normalises [::127.0.0.1]
    '::ffff:127.0.0.1', // IPv4-mapped
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe', // mapped 169.254.169.254
    '::ffff:0:127.0.0.1', // SIIT
    '64:ff9b::127.0.0.1', // NAT64
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1', // local-use NAT64
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2002:a9fe:a9fe::', // 6to4 of 169.254.169.254
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    'fc00::1',
    'fd12:3456::1', // unique-local
    'fe80::1',
    'fe80::1%eth0', // link-local with a zone
    'fec0::1', // site-local (deprecated)
    'ff02::1', // multicast
    '100::1', // discard-only
    '2001:db8::1', // documentation
    'not-an-ip',
  ])('%s is refused', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
  ])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it('checks URL hosts after WHATWG normalisation (decimal, hex, IPv6 forms)', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://127.1/',
      'http://[::127.0.0.1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:169.254.169.254]/',
      'http://[::]/',
      'http://0/',
    ]) {
      expect(hostIsBlockedLiteral(new URL(url)), url).toBe(true);
    }
    expect(hostIsBlockedLiteral(new URL('https://93.184.215.14/'))).toBe(false);
  });
});

describe('the outbound dispatcher refuses private addresses at connect time, unless the operator allows them', () => {
  let listener: Awaited<ReturnType<typeof trap>>;
  let strict: Outbound;
  let open: Outbound;
  beforeAll(async () => {
    listener = await trap();
    strict = new Outbound({ allowPrivateAddresses: false, lookup: rebindingLookup });
    open = new Outbound({ allowPrivateAddresses: true, lookup: rebindingLookup });
  });
  afterAll(async () => {
    await strict?.close();
    await open?.close();
    await listener?.close();
  });

  const hosts = (port: number) => [
    `127.0.0.1:${port}`,
    `[::1]:${port}`,
    `[::127.0.0.1]:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `[::ffff:7f00:1]:${port}`,
    `0.0.0.0:${port}`,
    `2130706433:${port}`,
    `localhost:${port}`,
    `api.rebind.test:${port}`, // resolves to loopback only when the call is made
    `mixed.rebind.test:${port}`, // one public answer does not make a private one acceptable
  ];

  it('with private addresses disallowed, no caller reaches the listener, even one asking for "internal"', async () => {
    for (const host of hosts(listener.port)) {
      for (const internal of [false, true]) {
        const err = await request(`http://${host}/`, { dispatcher: strict.dispatcher(internal) }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `${host} internal=${internal}`).toBeInstanceOf(BlockedAddressError);
        const viaFetch = await strict
          .fetchFor(internal)(`http://${host}/`)
          .then(
            () => undefined,
            (e: { cause?: unknown }) => e,
          );
        const blocked =
          viaFetch instanceof BlockedAddressError || viaFetch?.cause instanceof BlockedAddressError;
        expect(blocked, `${host} fetch internal=${internal}`).toBe(true);
      }
    }
    expect(lookups).toContain('api.rebind.test');
    expect(listener.connections()).toBe(0);
  });

  it('the operator’s permission (development) lets internal callers through, and only them', async () => {
    const res = await request(`http://api.rebind.test:${listener.port}/`, {
      dispatcher: open.dispatcher(false),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(res).toBeInstanceOf(BlockedAddressError);
    expect(listener.connections()).toBe(0);
    // The listener is real: an allowed internal call does arrive (and is hung up on).
    await request(`http://127.0.0.1:${listener.port}/`, { dispatcher: open.dispatcher(true) }).catch(
      () => {},
    );
    expect(listener.connections()).toBe(1);
  });
});

describe('production: no project setting makes Gatehouse call a private address', () => {
  let gh: TestGatehouse;
  let listener: Awaited<ReturnType<typeof trap>>;
  let apiKey: string;
  beforeAll(async () => {
    listener = await trap();
    gh = await startTestGatehouse(
      await openPglite(),
      { NODE_ENV: 'production', GATEHOUSE_ALLOW_INTERNAL_PROVIDERS: 'false' },
      { lookup: rebindingLookup },
    );
    apiKey = (await gh.createProject('prod')).apiKey;
  });
  afterAll(async () => {
    await gh?.close();
    await listener?.close();
    await gh?.server.runtime.db.close();
  });

  const errorOf = (res: { body: unknown }) =>
    (res.body as { error: { code: string; message: string } }).error;

  it('the sandbox provider is not offered, and an auth config for it is refused with a clear error', async () => {
    const listed = (await gh.call('GET', '/v1/providers', { key: apiKey })).body as {
      items: Array<{ id: string }>;
    };
    expect(listed.items.map((p) => p.id)).not.toContain('sandbox');
    expect(listed.items.map((p) => p.id)).toContain('github');
    expect((await gh.call('GET', '/v1/providers/sandbox', { key: apiKey })).status).toBe(404);
    for (const baseUrl of [
      `http://127.0.0.1:${listener.port}`,
      'http://169.254.169.254',
      'https://tasks.example.com',
    ]) {
      const res = await gh.call('POST', '/v1/auth-configs', {
        key: apiKey,
        body: { providerId: 'sandbox', clientId: 'c', clientSecret: 's', settings: { baseUrl } },
      });
      expect(res.status, res.text).toBe(400);
      expect(errorOf(res).code).toBe('provider_unavailable');
      expect(errorOf(res).message).toContain('GATEHOUSE_ALLOW_INTERNAL_PROVIDERS');
    }
  });

  it('settings that template a private address into a provider’s URLs are refused at create and update', async () => {
    const put = await gh.call('PUT', '/v1/providers/selfhosted', {
      key: apiKey,
      body: {
        displayName: 'Self-hosted tasks',
        authType: 'oauth2',
        settings: { baseUrl: { description: 'Origin of your server', required: true } },
        oauth2: {
          authorizationUrl: '{{settings.baseUrl}}/auth',
          tokenUrl: '{{settings.baseUrl}}/token',
          revocation: { url: '{{settings.baseUrl}}/revoke' },
          pkce: 'required',
          tokenEndpointAuthMethod: 'client_secret_basic',
          defaultScopes: [],
          scopes: [],
          defaultTokenLifetimeSeconds: 3600,
          refreshTokenRotation: 'always',
        },
        api: { baseUrl: '{{settings.baseUrl}}/api' },
      },
    });
    expect(put.status, put.text).toBe(200);
    const create = (baseUrl: string) =>
      gh.call('POST', '/v1/auth-configs', {
        key: apiKey,
        body: { providerId: 'selfhosted', clientId: 'c', clientSecret: 's', settings: { baseUrl } },
      });
    for (const host of [
      '127.0.0.1',
      '169.254.169.254',
      '[::1]',
      '[::127.0.0.1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '[fd00::1]',
      '[fe80::1]',
      '10.0.0.8',
      '100.64.0.1',
      '0.0.0.0',
      '2130706433',
      'localhost',
      'localhost.',
      'metadata.localhost',
    ]) {
      const res = await create(`https://${host}:${listener.port}`);
      expect(res.status, `${host}: ${res.text}`).toBe(400);
      expect(errorOf(res).code, host).toBe('address_not_allowed');
    }
    const http = await create('http://tasks.example.com');
    expect(http.status).toBe(400);
    expect(errorOf(http).code).toBe('invalid_settings');

    const good = await create('https://tasks.example.com');
    expect(good.status, good.text).toBe(201);
    const id = (good.body as { id: string }).id;
    const patched = await gh.call('PATCH', `/v1/auth-configs/${id}`, {
      key: apiKey,
      body: { settings: { baseUrl: 'https://169.254.169.254' } },
    });
    expect(patched.status, patched.text).toBe(400);
    expect(errorOf(patched).code).toBe('address_not_allowed');
    expect(listener.connections()).toBe(0);
  });

  it('a custom provider written with a private address is refused when it is registered', async () => {
    for (const host of ['127.0.0.1', '[::127.0.0.1]', '169.254.169.254', 'localhost']) {
      const res = await gh.call('PUT', '/v1/providers/intranet', {
        key: apiKey,
        body: {
          displayName: 'Intranet',
          authType: 'oauth2',
          oauth2: {
            authorizationUrl: 'https://sso.example.com/auth',
            tokenUrl: `https://${host}/token`,
            pkce: 'required',
            tokenEndpointAuthMethod: 'client_secret_basic',
            defaultScopes: [],
            scopes: [],
            defaultTokenLifetimeSeconds: 3600,
            refreshTokenRotation: 'always',
          },
          api: { baseUrl: 'https://api.example.com' },
        },
      });
      expect(res.status, `${host}: ${res.text}`).toBe(400);
      expect(errorOf(res).code).toBe('address_not_allowed');
    }
  });

  it('a name that resolves to loopback only at call time: code exchange, proxy, revocation and webhooks never connect', async () => {
    const origin = `https://api.rebind.test:${listener.port}`;
    const put = await gh.call('PUT', '/v1/providers/rebound', {
      key: apiKey,
      body: {
        displayName: 'Rebound',
        authType: 'oauth2',
        oauth2: {
          authorizationUrl: `${origin}/auth`,
          tokenUrl: `${origin}/token`,
          revocation: { url: `${origin}/revoke` },
          pkce: 'required',
          tokenEndpointAuthMethod: 'client_secret_basic',
          defaultScopes: [],
          scopes: [],
          defaultTokenLifetimeSeconds: 3600,
          refreshTokenRotation: 'always',
        },
        api: { baseUrl: `${origin}/api` },
      },
    });
    expect(put.status, put.text).toBe(200);
    const ac = await gh.call('POST', '/v1/auth-configs', {
      key: apiKey,
      body: { providerId: 'rebound', clientId: 'c', clientSecret: 's3cret-value' },
    });
    expect(ac.status, ac.text).toBe(201);
    const authConfigId = (ac.body as { id: string }).id;
    const hook = await gh.call('POST', '/v1/webhooks', {
      key: apiKey,
      body: { url: `https://hooks.rebind.test:${listener.port}/h` },
    });
    expect(hook.status, hook.text).toBe(201);

    // The code exchange of a Connect Link (the path): the callback POSTs to the token URL.
    const link = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'mallory', authConfigId },
    });
    const { id: linkId, redirectUrl } = link.body as { id: string; redirectUrl: string };
    const browser = new Browser();
    const start = await browser.fetch(`${gh.url}/connect/${linkId}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: new URL(redirectUrl).searchParams.get('key')! }).toString(),
    });
    const state = new URL(start.location!).searchParams.get('state')!;
    const callback = await browser.fetch(
      `${gh.url}/oauth/callback?code=stolen&state=${encodeURIComponent(state)}`,
    );
    expect(callback.status).toBeGreaterThanOrEqual(400);
    const linkStatus = (await gh.call('GET', `/v1/connect/links/${linkId}`, { key: apiKey })).body as {
      status: string;
      failure: { code: string; message: string };
    };
    expect(linkStatus.status).toBe('FAILED');
    expect(linkStatus.failure).toMatchObject({ code: 'token_exchange_failed' });
    expect(linkStatus.failure.message).toContain('EBLOCKEDADDRESS');

    // Plant an account (no real provider exists there) and proxy through it, then delete it (revocation).
    const rt = gh.server.runtime;
    const auth = await rt.apiKeys.authenticate(apiKey);
    if (!auth.ok) throw new Error('key');
    const projectId = auth.value.projectId;
    const accountId = 'ca_ssrfrebound0000000000';
    await rt.db.query(
      `INSERT INTO connected_accounts (id, project_id, auth_config_id, user_id, provider_id, status, scopes, credentials_ct)
       VALUES ($1, $2, $3, 'mallory', 'rebound', 'ACTIVE', '[]', $4)`,
      [
        accountId,
        projectId,
        authConfigId,
        await sealCredentials(rt.vault, projectId, accountId, {
          accessToken: 'x'.repeat(20),
          refreshToken: 'r'.repeat(20),
          tokenType: 'bearer',
        }),
      ],
    );
    // New projects in production have the proxy off; the operator opens it on purpose.
    const closed = { connectedAccountId: accountId, method: 'GET', path: '/anything' };
    expect(errorOf(await gh.call('POST', '/v1/proxy', { key: apiKey, body: closed })).code).toBe(
      'proxy_disabled',
    );
    await gh.call('PUT', '/v1/settings/proxy', { key: apiKey, body: { enabled: true } });
    const proxied = await gh.call('POST', '/v1/proxy', { key: apiKey, body: closed });
    expect(proxied.status, proxied.text).toBe(403);
    expect(errorOf(proxied).code).toBe('upstream_blocked');
    const deleted = await gh.call('DELETE', `/v1/connected-accounts/${accountId}`, { key: apiKey });
    expect(deleted.status, deleted.text).toBeLessThan(300);

    // The connection.deleted event goes to the webhook, whose name also resolves to loopback now. The
    // running dispatcher may have claimed the delivery already (the emit nudges it): wait for its attempt.
    const deliveries = await eventually(
      async () => {
        await rt.workers.webhooks.tick();
        return (
          await rt.db.query<{ last_error: string | null }>(
            'SELECT last_error FROM webhook_deliveries WHERE project_id = $1',
            [projectId],
          )
        ).rows;
      },
      (rows) => rows.length > 0 && rows.every((d) => d.last_error !== null),
    );
    for (const d of deliveries) expect(d.last_error).toContain('EBLOCKEDADDRESS');

    expect(lookups).toEqual(expect.arrayContaining(['api.rebind.test', 'hooks.rebind.test']));
    expect(listener.connections()).toBe(0);
  });
});
