import type { Sandbox } from '@gatehouse/sandbox';
import { openCredentials } from '../../src/accounts/credentials.js';
import { type LeaseRow, LeaseStore } from '../../src/tokens/lease-store.js';
import type { TestGatehouse } from './gatehouse.js';

/** Token-lifecycle helpers: read an account with its refresh bookkeeping, make it due, peek at its tokens. */
export function lifecycle(gh: TestGatehouse) {
  const rt = gh.server.runtime;
  const leases = new LeaseStore(rt.db);
  return {
    leases,
    async account(projectId: string, id: string): Promise<LeaseRow> {
      const row = await leases.read(projectId, id);
      if (!row) throw new Error(`no account ${id}`);
      return row;
    },
    /** The refresher will take it on its next tick. */
    async makeDue(id: string, extra = ''): Promise<void> {
      await rt.db.query(
        `UPDATE connected_accounts SET next_refresh_at = now() - interval '1 second'${extra ? `, ${extra}` : ''} WHERE id = $1`,
        [id],
      );
    },
    async credentials(projectId: string, id: string) {
      const row = await rt.accountStore.get(projectId, id);
      const creds = await openCredentials(rt.vault, projectId, id, row!.credentials_ct!);
      if (!creds.ok) throw new Error('credentials unreadable');
      return creds.value;
    },
    async projectIdOf(apiKey: string): Promise<string> {
      const auth = await rt.apiKeys.authenticate(apiKey);
      if (!auth.ok) throw new Error('bad key');
      return auth.value.projectId;
    },
  };
}

/** What a client whose answer got lost would do: present the refresh token to the provider directly. */
export async function presentRefreshToken(
  sandbox: Sandbox,
  client: { clientId: string; clientSecret: string },
  refreshToken: string,
): Promise<number> {
  const res = await fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  await res.arrayBuffer();
  return res.status;
}
