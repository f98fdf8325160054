import type { Sandbox } from '@gatehouse/sandbox';
import { openCredentials } from '../../src/accounts/credentials.js';
import type { AccountStatus } from '../../src/accounts/store.js';
import { LeaseStore } from '../../src/tokens/lease-store.js';
import type { TestGatehouse } from './gatehouse.js';

/** An account's row as stored, refresh bookkeeping included: what the token lifecycle wrote. */
export interface StoredAccount {
  id: string;
  project_id: string;
  status: AccountStatus;
  status_reason: string | null;
  version: number;
  credentials_ct: string | null;
  access_token_expires_at: Date | null;
  last_refreshed_at: Date | null;
  last_used_at: Date | null;
  next_refresh_at: Date | null;
  refresh_lease_id: string | null;
  refresh_lease_until: Date | null;
  refresh_journal_ct: string | null;
  refresh_journal_at: Date | null;
  refresh_failures: number;
}

/** Token-lifecycle helpers: read an account's row, make it due, peek at its tokens. */
export function lifecycle(gh: TestGatehouse) {
  const rt = gh.server.runtime;
  const leases = new LeaseStore(rt.db);
  return {
    leases,
    async account(projectId: string, id: string): Promise<StoredAccount> {
      const { rows } = await rt.db.query<StoredAccount & Record<string, unknown>>(
        `SELECT id, project_id, status, status_reason, version, credentials_ct, access_token_expires_at,
           last_refreshed_at, last_used_at, next_refresh_at, refresh_lease_id, refresh_lease_until,
           refresh_journal_ct, refresh_journal_at, refresh_failures
         FROM connected_accounts WHERE project_id = $1 AND id = $2`,
        [projectId, id],
      );
      const row = rows[0];
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
      const creds = await openCredentials(rt.vault, projectId, id, row!.credentialsCt!);
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
