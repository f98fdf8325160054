import { randomBytes } from 'node:crypto';
import { type Sandbox, type SandboxOptions, startSandbox } from '@gatehouse/sandbox';
import { sealCredentials } from '../../src/accounts/credentials.js';
import { AccountTransitions } from '../../src/accounts/transitions.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { newId } from '../../src/shared/ids.js';
import { generateMasterKey } from '../../src/vault/kms.js';
import { testConfig } from './gatehouse.js';
import { type Replica, startReplica } from './replicas.js';
import { createScratchPostgres } from './scratch-postgres.js';

export interface FleetAccount {
  id: string;
  userId: string;
}

/**
 * A scratch PostgreSQL database, a sandbox, and a project with a sandbox auth config, ready for
 * several real `gatehouse start` replicas. The test process keeps an in-process runtime on the same
 * database (no workers) to create rows and to read them back.
 */
export interface Fleet {
  rt: Runtime;
  sandbox: Sandbox;
  projectId: string;
  apiKey: string;
  authConfigId: string;
  client: { clientId: string; clientSecret: string };
  databaseUrl: string;
  startReplica(env: Record<string, string>): Promise<Replica>;
  /** Real grants minted at the sandbox, stored as ACTIVE accounts; recorded expiries spread over `staggerMs`. */
  mintAccounts(count: number, staggerMs?: number, scopes?: string[]): Promise<FleetAccount[]>;
  close(): Promise<void>;
}

export async function createFleet(sandboxOptions: SandboxOptions = {}): Promise<Fleet> {
  const scratch = await createScratchPostgres();
  const masterKey = generateMasterKey();
  const adminToken = `gth_admin_${randomBytes(20).toString('hex')}`;
  const created = await createRuntime(
    testConfig({
      GATEHOUSE_DATABASE_URL: scratch.url,
      GATEHOUSE_MASTER_KEY: masterKey,
      GATEHOUSE_LOG_LEVEL: 'warn',
    }),
  );
  if (!created.ok) throw new Error(created.error);
  const rt = created.runtime;
  const transitions = new AccountTransitions(rt.accountStore, rt.events);
  const client = {
    clientId: `fleet-${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(24).toString('hex'),
  };
  const sandbox = await startSandbox({
    ...sandboxOptions,
    clients: [
      {
        ...client,
        redirectUris: ['http://127.0.0.1:9/oauth/callback'],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    ],
  });
  const project = await rt.projects.create('fleet');
  const { secret: apiKey } = await rt.apiKeys.create(project.id, 'fleet', 'admin');
  const config = await rt.authConfigs.create(project.id, {
    providerId: 'sandbox',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    settings: { baseUrl: sandbox.url },
  });
  if (!config.ok) throw new Error(config.error.message);
  const replicas: Replica[] = [];
  const users = ['alice', 'bob', 'carol'];
  let next = 0;

  return {
    rt,
    sandbox,
    projectId: project.id,
    apiKey,
    authConfigId: config.value.id,
    client,
    databaseUrl: scratch.url,
    async startReplica(env) {
      const replica = await startReplica({ databaseUrl: scratch.url, masterKey, adminToken, env });
      replicas.push(replica);
      return replica;
    },
    async mintAccounts(count, staggerMs = 0, scopes = ['openid', 'tasks:read']) {
      const out: FleetAccount[] = [];
      for (let start = 0; start < count; start += 50) {
        const chunk = Array.from({ length: Math.min(50, count - start) }, () => next++);
        const made = await Promise.all(
          chunk.map(async (n) => {
            const minted = await sandbox.mintGrant({
              clientId: client.clientId,
              userId: users[n % users.length]!,
              scopes,
            });
            const id = newId('ca');
            const userId = `user-${String(n).padStart(5, '0')}`;
            const credentialsCt = await sealCredentials(rt.vault, project.id, id, {
              accessToken: minted.accessToken,
              refreshToken: minted.refreshToken,
              tokenType: 'bearer',
            });
            await rt.db.transaction(async (tx) => {
              const account = await rt.accountStore.insert(
                tx,
                project.id,
                id,
                { authConfigId: config.value.id, userId, groupId: null, providerId: 'sandbox', label: null },
                {
                  scopes: minted.scope.split(' '),
                  credentialsCt,
                  // Gatehouse may believe a token expires earlier than it does (never later): spreads the load.
                  accessTokenExpiresAt: new Date(
                    Date.now() + minted.expiresIn * 1000 - Math.random() * staggerMs,
                  ),
                  // Unscheduled: the refresher schedules each on first sight.
                  nextRefreshAt: null,
                  subject: null,
                  displayName: null,
                  connectionConfig: {},
                },
              );
              await transitions.activate(tx, account);
            });
            return { id, userId };
          }),
        );
        out.push(...made);
      }
      return out;
    },
    async close() {
      await Promise.allSettled(replicas.map((r) => r.stop()));
      await sandbox.close();
      await rt.close();
      await scratch.drop();
    },
  };
}
