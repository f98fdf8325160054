import { randomBytes } from 'node:crypto';
import { type Sandbox, startSandbox } from '@gatehouse/sandbox';
import { CookieJar, completeAuthorization } from '@gatehouse/sandbox/testing';
import type { Db } from '../../src/store/db.js';
import type { TestGatehouse } from './gatehouse.js';

/** A browser as far as Gatehouse's hosted pages are concerned: fetch without following redirects, plus cookies. */
export class Browser {
  readonly jar = new CookieJar();

  async fetch(
    url: string,
    init: RequestInit = {},
  ): Promise<{ status: number; location: string | null; text: string }> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(target);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.jar.store(target, res.headers.getSetCookie());
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
}

export const PASSWORDS: Record<string, string> = {
  alice: 'alice-pass',
  bob: 'bob-pass',
  carol: 'carol-pass',
};

/** Starts a sandbox whose client is registered for this Gatehouse's one redirect URI. */
export async function sandboxFor(
  gh: TestGatehouse,
  options: Parameters<typeof startSandbox>[0] = {},
): Promise<{ sandbox: Sandbox; client: { clientId: string; clientSecret: string } }> {
  const client = {
    clientId: `gatehouse-${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(24).toString('hex'),
  };
  const sandbox = await startSandbox({
    ...options,
    clients: [
      {
        ...client,
        redirectUris: [`${gh.url}/oauth/callback`],
        tokenEndpointAuthMethod: 'client_secret_basic',
        name: 'Gatehouse test',
      },
    ],
  });
  return { sandbox, client };
}

export async function createSandboxAuthConfig(
  gh: TestGatehouse,
  apiKey: string,
  sandbox: Sandbox,
  client: { clientId: string; clientSecret: string },
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await gh.call('POST', '/v1/auth-configs', {
    key: apiKey,
    body: {
      providerId: 'sandbox',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      settings: { baseUrl: sandbox.url },
      ...extra,
    },
  });
  if (res.status !== 201) throw new Error(`auth config: ${res.status} ${res.text}`);
  return (res.body as { id: string }).id;
}

export interface ConnectOutcome {
  linkId: string;
  /** The final answer of Gatehouse's callback (success page, redirect or error page). */
  callback: { status: number; location: string | null; text: string };
  link: {
    status: string;
    connectedAccountId: string | null;
    failure: { code: string; message: string } | null;
  };
}

/**
 * Drives a Connect Link like a person would: open the hosted page, continue, sign in and consent at
 * the sandbox, come back to Gatehouse's callback in the same browser.
 */
export async function connectUser(
  gh: TestGatehouse,
  apiKey: string,
  input: {
    userId: string;
    authConfigId: string;
    label?: string;
    scopes?: string[];
    callbackUrl?: string;
    connectedAccountId?: string;
  },
  login: { username: string; password?: string; decision?: 'approve' | 'deny' },
  browser = new Browser(),
): Promise<ConnectOutcome> {
  const created = await gh.call('POST', '/v1/connect/links', { key: apiKey, body: input });
  if (created.status !== 201) throw new Error(`link: ${created.status} ${created.text}`);
  const { id: linkId, redirectUrl } = created.body as { id: string; redirectUrl: string };
  const callback = await completeLink(redirectUrl, login, browser);
  const status = await gh.call('GET', `/v1/connect/links/${linkId}`, { key: apiKey });
  return { linkId, callback, link: status.body as ConnectOutcome['link'] };
}

/**
 * What the end user does with a Connect Link URL (from the API, or from an authorization_required
 * answer): open it, continue, sign in and consent at the sandbox, return to Gatehouse's callback.
 */
export async function completeLink(
  redirectUrl: string,
  login: { username: string; password?: string; decision?: 'approve' | 'deny' },
  browser = new Browser(),
): Promise<{ status: number; location: string | null; text: string }> {
  const page = await browser.fetch(redirectUrl);
  if (page.status !== 200) throw new Error(`hosted page: ${page.status} ${page.text}`);
  const url = new URL(redirectUrl);
  const start = await browser.fetch(`${url.origin}${url.pathname}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: url.searchParams.get('key')! }).toString(),
  });
  if (start.status !== 303 || !start.location) throw new Error(`start: ${start.status} ${start.text}`);
  const callbackUrl = await completeAuthorization(
    start.location,
    { username: login.username, password: login.password ?? PASSWORDS[login.username] ?? '' },
    login.decision ? { decision: login.decision } : {},
  );
  return browser.fetch(callbackUrl);
}

/** Every row of every table, as text: for searching the database for leaked secrets. */
export async function dumpDatabase(db: Db): Promise<string> {
  const { rows } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { table_name } of rows) {
    const data = await db.query(`SELECT * FROM "${table_name}"`);
    parts.push(`${table_name}: ${JSON.stringify(data.rows)}`);
  }
  return parts.join('\n');
}
