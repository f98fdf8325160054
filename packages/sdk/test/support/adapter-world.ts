import type { Sandbox } from '@gatehouse/sandbox';
import { expect } from 'vitest';
import { openPglite } from '../../../server/src/store/db.js';
import { example, setPolicies } from '../../../server/test/governance/support.js';
import { projectWithConnectedUsers, sandboxFor } from '../../../server/test/support/broker.js';
import { startTestGatehouse, type TestGatehouse } from '../../../server/test/support/gatehouse.js';
import { Gatehouse } from '../../src/index.js';

/**
 * What every adapter test runs against: a real Gatehouse (embedded PGlite) with the sandbox
 * provider, a project where alice has connected her sandbox account, and an SDK client acting as
 * `agentId`.
 */
export interface AdapterWorld {
  gh: TestGatehouse;
  sandbox: Sandbox;
  apiKey: string;
  sdk: Gatehouse;
  aliceAccount: string;
  /** Nothing the model saw may contain the API key or any token the provider issued. */
  expectNoSecrets(sent: string, apiKey?: string): void;
  /** Runs `body` with the sandbox's "approval for writes" policy in force. */
  withApprovalForWrites(body: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startAdapterWorld(agentId: string): Promise<AdapterWorld> {
  const gh = await startTestGatehouse(await openPglite());
  const { sandbox, client } = await sandboxFor(gh);
  const project = await projectWithConnectedUsers(gh, sandbox, client, ['alice']);
  const sdk = new Gatehouse({ baseUrl: gh.url, apiKey: project.apiKey, agentId });
  return {
    gh,
    sandbox,
    apiKey: project.apiKey,
    sdk,
    aliceAccount: project.accounts.alice!,
    expectNoSecrets(sent, apiKey = project.apiKey) {
      expect(sent).not.toContain(apiKey);
      const { accessTokens, refreshTokens } = sandbox.issuedTokens();
      expect(accessTokens.length).toBeGreaterThan(0);
      for (const token of [...accessTokens, ...refreshTokens]) expect(sent).not.toContain(token);
    },
    async withApprovalForWrites(body) {
      await setPolicies(gh, project.apiKey, [{ policies: example('approval-for-writes') }]);
      try {
        await body();
      } finally {
        await setPolicies(gh, project.apiKey, []);
      }
    },
    async close() {
      await gh.close();
      await sandbox.close();
      await gh.server.runtime.db.close();
    },
  };
}
