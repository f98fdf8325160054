/**
 * What the execute benchmark calls: a Gatehouse process with alice connected to the sandbox, and
 * keep-alive callers for its REST execute, proxy and MCP tool calls, the reference broker and the
 * sandbox itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeAuthorization } from '@gatehouse/sandbox/testing';
import * as oauth from 'oauth4webapi';
import pg from 'pg';
import { Pool } from 'undici';
import { generateMasterKey } from '../../packages/server/src/vault/kms.js';
import { completeLink } from '../../packages/server/test/support/connect.js';
import { type Child, spawnTs } from './processes.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export type Call = () => Promise<void>;

/**
 * A keep-alive caller for one request; it fails loudly when the answer is not what `ok` expects.
 * `seen` receives each answer's headers (Gatehouse's Server-Timing).
 */
export function poolCall(
  origin: string,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
  headers: Record<string, string> = {},
  ok: (text: string) => boolean = () => true,
  seen?: (headers: Record<string, string | string[] | undefined>) => void,
): Call {
  const pool = new Pool(new URL(origin).origin, { connections: 64, pipelining: 1 });
  const url = new URL(path, origin);
  const allHeaders = { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) };
  return async () => {
    const res = await pool.request({
      method,
      path: url.pathname + url.search,
      headers: allHeaders,
      ...(body ? { body } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400 || !ok(text))
      throw new Error(`${origin}${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    seen?.(res.headers);
  };
}

/**
 * Gatehouse's own time per answer, from its `Server-Timing` (`gatehouse;dur=`: the call's time in the
 * server less its wait on the upstream): what the server adds, without the host's noise on the
 * upstream hop, which a client-side difference of percentiles cannot separate.
 */
export function ownTimes(): { seen: Parameters<typeof poolCall>[6]; take(n: number): number[] } {
  let all: number[] = [];
  return {
    seen: (headers) => {
      const dur = /(?:^|, )gatehouse;dur=([\d.]+)/.exec(String(headers['server-timing'] ?? ''));
      if (dur) all.push(Number(dur[1]));
    },
    // The last n answers (the measured calls, after the warm-up ones), and start afresh.
    take(n) {
      const last = all.slice(-n);
      all = [];
      return last;
    },
  };
}

export const successfulResult = (text: string) => text.startsWith('{"successful":true');

export async function directToken(
  sandboxUrl: string,
  clientId: string,
  clientSecret: string,
  redirectUri: string,
): Promise<string> {
  const verifier = oauth.generateRandomCodeVerifier();
  const auth = new URL(`${sandboxUrl}/oauth/auth`);
  auth.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid tasks:read',
    state: 'bench',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const callback = new URL(
    await completeAuthorization(auth.toString(), { username: 'alice', password: 'alice-pass' }),
  );
  const res = await fetch(`${sandboxUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token exchange failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

const benchAdminUrl = () => process.env.BENCH_DATABASE_URL || process.env.GATEHOUSE_TEST_DATABASE_URL;
const scratchNames: string[] = [];

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchAdminUrl() });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The PostgreSQL the bench may use: BENCH_DATABASE_URL, else GATEHOUSE_TEST_DATABASE_URL; unset means
 * the PostgreSQL leg is skipped (said so in the output). A scratch database is created in it, and
 * dropped by `dropScratchDatabases` once the bench is over.
 */
export async function scratchDatabase(): Promise<{ url: string } | undefined> {
  const admin = benchAdminUrl();
  if (!admin) return undefined;
  const name = `gatehouse_bench_${randomBytes(4).toString('hex')}`;
  try {
    await asAdmin(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  }
  scratchNames.push(name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString() };
}

/** Drops the scratch databases made so far (FORCE: a server the bench left running is disconnected). */
export async function dropScratchDatabases(): Promise<void> {
  for (const name of scratchNames.splice(0))
    await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: Error) =>
      console.log(`  (could not drop the scratch database ${name}: ${err.message})`),
    );
}

/**
 * The sandbox provider in its own process, with `clientId` registered for each Gatehouse port's
 * OAuth callback and for `redirectUris` (the bench's own direct sign-in, when it makes one).
 */
export async function startSandbox(
  clientId: string,
  clientSecret: string,
  gatehousePorts: number[],
  redirectUris: string[] = [],
): Promise<{ child: Child; url: string }> {
  const callbacks = gatehousePorts.map((port) => `http://127.0.0.1:${port}/oauth/callback`);
  const { child, match } = await spawnTs(
    join(ROOT, 'bench/lib/sandbox-process.ts'),
    [clientId, clientSecret, ...callbacks, ...redirectUris],
    {},
    /SANDBOX (\S+)/,
  );
  return { child, url: match[1]! };
}

/** `gatehouse start` from this checkout, or from `root` (another checkout, for before/after runs). */
export async function startGatehouse(
  port: number,
  databaseUrl: string | undefined,
  root = ROOT,
  env: Record<string, string> = {},
): Promise<{ child: Child; url: string; adminToken: string }> {
  const adminToken = `gth_admin_${randomBytes(20).toString('hex')}`;
  const { child } = await spawnTs(
    join(root, 'packages/server/bin/gatehouse.mjs'),
    ['start'],
    {
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-bench-')),
      GATEHOUSE_MASTER_KEY: generateMasterKey(),
      GATEHOUSE_ADMIN_TOKEN: adminToken,
      GATEHOUSE_SANDBOX_TOOLKITS: 'true',
      ...(databaseUrl ? { GATEHOUSE_DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    /Gatehouse is running on/,
    180_000, // a loaded shared machine can take long to start a process
  );
  return { child, url: `http://127.0.0.1:${port}`, adminToken };
}

/** A project, a sandbox auth config, alice connected through a Connect Link, and an MCP URL for her. */
export async function connectAlice(
  url: string,
  adminToken: string,
  sandboxUrl: string,
  clientId: string,
  clientSecret: string,
): Promise<{ apiKey: string; accountId: string; mcp: { url: string; credential: string } }> {
  const call = async (path: string, key: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const project = await call('/v1/admin/projects', adminToken, { name: 'bench' });
  const apiKey = (project.apiKey as { key: string }).key;
  const ac = await call('/v1/auth-configs', apiKey, {
    providerId: 'sandbox',
    clientId,
    clientSecret,
    settings: { baseUrl: sandboxUrl },
    defaultScopes: ['openid', 'tasks:read'],
  });
  const link = await call('/v1/connect/links', apiKey, { userId: 'alice', authConfigId: ac.id });
  await completeLink(link.redirectUrl as string, { username: 'alice' });
  const status = await fetch(`${url}/v1/connect/links/${link.id as string}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const accountId = ((await status.json()) as { connectedAccountId: string }).connectedAccountId;
  const session = await call('/v1/mcp/sessions', apiKey, { userId: 'alice', toolkits: ['acme'] });
  return {
    apiKey,
    accountId,
    mcp: { url: session.url as string, credential: session.credential as string },
  };
}

const MCP_VERSION = '2025-06-18';

/**
 * `tools/call` over Streamable HTTP on alice's per-user MCP URL, after one `initialize` (the session
 * the client then names on every call, as MCP clients do). Raw JSON-RPC, so the client's own cost
 * stays out of the numbers.
 */
export async function mcpToolCall(
  mcp: { url: string; credential: string },
  seen?: Parameters<typeof poolCall>[6],
): Promise<Call> {
  const headers = {
    authorization: `Bearer ${mcp.credential}`,
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': MCP_VERSION,
  };
  const init = await fetch(mcp.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: MCP_VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
    }),
  });
  const sessionId = init.headers.get('mcp-session-id');
  if (!init.ok || !sessionId) throw new Error(`MCP initialize failed: ${init.status} ${await init.text()}`);
  await init.text();
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'acme.tasks.list', arguments: { limit: 5 } },
  });
  const path = new URL(mcp.url).pathname;
  return poolCall(
    mcp.url,
    'POST',
    path,
    body,
    { ...headers, 'mcp-session-id': sessionId },
    (text) => text.includes('"result"') && !text.includes('"isError":true'),
    seen,
  );
}
