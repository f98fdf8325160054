import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSecretFile } from '../config/dev-secrets.js';
import type { Runtime } from '../runtime.js';
import { randomToken } from '../shared/ids.js';

export interface DevSandbox {
  url: string;
  authConfigId: string;
  users: ReadonlyArray<{ username: string; password: string }>;
  close(): Promise<void>;
}

const AUTH_CONFIG_NAME = 'Acme Tasks (sandbox)';

/**
 * Development only: runs the sandbox provider in this process and registers it in the dev project,
 * so the quickstart connects users with no real OAuth credentials. The sandbox keeps its grants in
 * memory: after a restart, accounts connected before it need reconnecting.
 */
export async function startDevSandbox(rt: Runtime, projectId: string): Promise<DevSandbox> {
  // Loaded on demand so production never loads the sandbox (or oidc-provider) at all.
  const { startSandbox } = await import('@gatehouse/sandbox');
  const client = devClient(rt.config.dataDir);
  const clients = [
    {
      ...client,
      redirectUris: [`${rt.config.publicUrl}/oauth/callback`],
      tokenEndpointAuthMethod: 'client_secret_basic' as const,
      name: 'Gatehouse (development)',
    },
  ];
  const preferred = Number(process.env.GATEHOUSE_SANDBOX_PORT ?? rt.config.port + 100);
  const sandbox = await startSandbox({ port: preferred, clients }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return startSandbox({ port: 0, clients });
  });
  const settings = { baseUrl: sandbox.url };
  const existing = (
    await rt.authConfigs.list(projectId, { providerId: 'sandbox' }, { limit: 50 })
  ).items.find((c) => c.name === AUTH_CONFIG_NAME);
  const saved = existing
    ? await rt.authConfigs.update(projectId, existing.id, {
        settings,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
      })
    : await rt.authConfigs.create(projectId, {
        providerId: 'sandbox',
        name: AUTH_CONFIG_NAME,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        settings,
        defaultScopes: ['openid', 'tasks:read', 'tasks:write'],
        branding: { displayName: 'Gatehouse quickstart', accentColor: '#0b7285' },
      });
  if (!saved.ok) {
    await sandbox.close();
    throw new Error(`cannot register the sandbox: ${saved.error.message}`);
  }
  return {
    url: sandbox.url,
    authConfigId: saved.value.id,
    users: sandbox.users.map((u) => ({ username: u.username, password: u.password })),
    close: () => sandbox.close(),
  };
}

function devClient(dataDir: string): { clientId: string; clientSecret: string } {
  const file = join(dataDir, 'sandbox-client.json');
  if (existsSync(file))
    return JSON.parse(readFileSync(file, 'utf8')) as { clientId: string; clientSecret: string };
  const client = { clientId: 'gatehouse-dev', clientSecret: randomToken(40) };
  writeSecretFile(file, `${JSON.stringify(client)}\n`);
  return client;
}
