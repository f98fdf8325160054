import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';
import type { Vault } from '../vault/vault.js';

/** What Gatehouse keeps of a token response: only what it needs to act and refresh. */
export interface Credentials {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  idToken?: string;
}

const binding = (accountId: string) => ({
  table: 'connected_accounts',
  rowId: accountId,
  purpose: 'credentials',
});

export function sealCredentials(
  vault: Vault,
  projectId: string,
  accountId: string,
  creds: Credentials,
): Promise<string> {
  return vault.encrypt(projectId, binding(accountId), JSON.stringify(creds));
}

export async function openCredentials(
  vault: Vault,
  projectId: string,
  accountId: string,
  ciphertext: string,
): Promise<Result<Credentials>> {
  const plain = await vault.decrypt(projectId, binding(accountId), ciphertext);
  if (!plain.ok) return plain;
  const parsed = JSON.parse(plain.value) as Partial<Credentials>;
  if (typeof parsed.accessToken !== 'string')
    return fail('secret_unreadable', 'stored credentials are incomplete');
  return ok(parsed as Credentials);
}

/** Every token value in a credentials blob, for scrubbing upstream output. */
export function secretValues(creds: Credentials): string[] {
  return [creds.accessToken, creds.refreshToken, creds.idToken].filter(
    (v): v is string => typeof v === 'string' && v.length >= 8,
  );
}
