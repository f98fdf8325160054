import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Sandbox, startSandbox } from '@gatehouse/sandbox';
import { Gatehouse, isAuthorizationRequired } from '@gatehouse/sdk';
import { loadConfig, type RunningServer, startServer } from '../../packages/server/src/index.js';
import { createLogger } from '../../packages/server/src/telemetry/logger.js';
import { generateMasterKey } from '../../packages/server/src/vault/kms.js';
import { userOpensLink } from './simulated-user.js';

export interface DemoOptions {
  print?: (line: string) => void;
  /** Where Gatehouse's JSON logs go (default: discarded, the demo prints its own story). */
  logs?: Writable;
  /** Sees every HTTP response body the app and the users' browsers received. */
  onResponse?: (url: string, body: string) => void;
}

export interface DemoRun {
  sandbox: Sandbox;
  server: RunningServer;
  close(): Promise<void>;
}

const PASSWORDS = { alice: 'alice-pass', bob: 'bob-pass' } as const;

/**
 * A scripted agent (a fixed plan, no LLM): two users connect their Acme accounts through the
 * sandbox, an agent lists and creates tasks for each with that user's own credentials, one call
 * lacks a scope and gets a step-up link, and the audit trail is printed.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun> {
  const print = options.print ?? ((line: string) => console.log(line));
  const onResponse = options.onResponse ?? (() => {});
  const port = await freePort();
  const loaded = loadConfig({
    GATEHOUSE_PORT: String(port),
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-demo-')),
    GATEHOUSE_MASTER_KEY: generateMasterKey(),
    GATEHOUSE_ADMIN_TOKEN: `gth_admin_${randomBytes(20).toString('hex')}`,
    GATEHOUSE_LOG_LEVEL: 'info',
    GATEHOUSE_SANDBOX_TOOLKITS: 'true',
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const config = loaded.config;
  const client = { clientId: 'gatehouse-demo', clientSecret: randomBytes(20).toString('hex') };
  const sandbox = await startSandbox({
    clients: [
      {
        ...client,
        redirectUris: [`${config.publicUrl}/oauth/callback`],
        tokenEndpointAuthMethod: 'client_secret_basic',
        name: 'Task Pilot',
      },
    ],
  });
  const logger = createLogger({
    level: 'info',
    ...(options.logs ? { destination: options.logs } : { destination: devNull() }),
  });
  const started = await startServer(config, { log: logger });
  if (!started.ok) throw new Error(started.error);
  const server = started.server;
  const close = async () => {
    await server.close();
    await sandbox.close();
  };

  try {
    print(`Gatehouse on ${config.publicUrl} (embedded PGlite), sandbox provider on ${sandbox.url}\n`);
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = await res.clone().text();
      onResponse(String(input), body);
      return res;
    };
    const admin = await recordingFetch(`${config.publicUrl}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Task Pilot' }),
    });
    const apiKey = ((await admin.json()) as { apiKey: { key: string } }).apiKey.key;
    const gatehouse = new Gatehouse({ baseUrl: config.publicUrl, apiKey, fetch: recordingFetch });
    const authConfig = await gatehouse.authConfigs.create({
      providerId: 'sandbox',
      ...client,
      settings: { baseUrl: sandbox.url },
      defaultScopes: ['openid', 'tasks:read', 'tasks:write'],
      branding: { displayName: 'Task Pilot' },
    });
    print(
      `1. The app registered the Acme provider (auth config ${authConfig.id}); least privilege: read + write, no delete.`,
    );

    for (const user of ['alice', 'bob'] as const) {
      const link = await gatehouse.connectedAccounts.link({ userId: user, authConfigId: authConfig.id });
      const [account] = await Promise.all([
        gatehouse.connectedAccounts.waitForConnection(link.id, { timeoutMs: 30_000, pollIntervalMs: 100 }),
        userOpensLink(link.redirectUrl, { username: user, password: PASSWORDS[user] }, onResponse),
      ]);
      print(
        `2. ${user} opened the Connect Link and signed in at Acme: account ${account.id} is ${account.status} (scopes ${account.scopes.join(' ')})`,
      );
    }

    for (const user of ['alice', 'bob'] as const) {
      const agent = gatehouse.withAgent('task-pilot-agent');
      const before = await agent.tools.execute<Array<{ title: string }>>('acme.tasks.list', {
        userId: user,
        arguments: { limit: 50 },
      });
      if (!before.successful) throw new Error(before.error.message);
      print(
        `3. agent → acme.tasks.list for ${user}: ${before.data.length} tasks (${before.data.map((t) => t.title).join('; ')})`,
      );
      const created = await agent.tools.execute<{ id: string; title: string; ownerId: string }>(
        'acme.tasks.create',
        {
          userId: user,
          arguments: { title: `${user}'s agent: prepare the weekly report`, visibility: 'private' },
        },
      );
      if (!created.successful) throw new Error(created.error.message);
      print(
        `   agent → acme.tasks.create for ${user}: ${created.data.id} "${created.data.title}" owned by ${created.data.ownerId}`,
      );
    }

    const agent = gatehouse.withAgent('cleanup-agent');
    const mine = await agent.tools.execute<Array<{ id: string; ownerId: string }>>('acme.tasks.list', {
      userId: 'alice',
      arguments: { limit: 50 },
    });
    const target = mine.successful ? mine.data.find((t) => t.ownerId === 'alice') : undefined;
    if (!target) throw new Error('alice has no task to delete');
    const attempt = await agent.tools.execute('acme.tasks.delete', {
      userId: 'alice',
      arguments: { id: target.id },
    });
    if (!isAuthorizationRequired(attempt)) throw new Error('expected the delete to need a step-up');
    const step = attempt.error.details;
    print(
      `4. agent → acme.tasks.delete for alice: authorization_required (missing ${step.missingScopes.join(', ')})`,
    );
    print(`   the agent relays this link to alice: ${step.connectLink.redirectUrl}`);
    await userOpensLink(
      step.connectLink.redirectUrl,
      { username: 'alice', password: PASSWORDS.alice },
      onResponse,
    );
    const retry = await agent.tools.execute('acme.tasks.delete', {
      userId: 'alice',
      arguments: { id: target.id },
    });
    print(
      `   alice granted tasks:delete; the retry ${retry.successful ? 'succeeded' : `failed: ${retry.error.message}`}`,
    );

    const trail = await gatehouse.audit.list({ limit: 50 });
    print('\n5. Audit trail (newest first):');
    print(
      `   ${'time'.padEnd(12)} ${'user'.padEnd(6)} ${'agent'.padEnd(17)} ${'tool'.padEnd(18)} ${'outcome'.padEnd(22)} status  ms`,
    );
    for (const e of trail.items) {
      print(
        `   ${String(e.occurredAt).slice(11, 23).padEnd(12)} ${String(e.userId ?? '-').padEnd(6)} ${String(e.agentId ?? '-').padEnd(17)} ${String(e.tool ?? '-').padEnd(18)} ${e.outcome.padEnd(22)} ${String(e.upstreamStatus ?? '-').padEnd(7)} ${e.latencyMs.toFixed(1)}`,
      );
    }
    print(
      '\nNo token ever reached the agent: it only saw tool results. The tokens live encrypted in Gatehouse.',
    );
    return { sandbox, server, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
