import { createHash } from 'node:crypto';
import type { Vault } from '../vault/vault.js';

/**
 * A refresh journal entry: which attempt presented which refresh token (by fingerprint), from which
 * replica. Sealed by the vault like every other token-derived value, bound to its account row.
 */
export interface JournalEntry {
  attemptId: string;
  replica: string;
  /** SHA-256 prefix of the refresh token presented: tells a later reader which token was in flight. */
  refreshTokenFingerprint: string;
  startedAt: string;
}

const binding = (accountId: string) => ({
  table: 'connected_accounts',
  rowId: accountId,
  purpose: 'refresh_journal',
});

export const fingerprint = (token: string): string =>
  createHash('sha256').update(token).digest('hex').slice(0, 16);

export function sealJournal(
  vault: Vault,
  projectId: string,
  accountId: string,
  entry: JournalEntry,
): Promise<string> {
  return vault.encrypt(projectId, binding(accountId), JSON.stringify(entry));
}

export async function openJournal(
  vault: Vault,
  projectId: string,
  accountId: string,
  ciphertext: string,
): Promise<JournalEntry | undefined> {
  const plain = await vault.decrypt(projectId, binding(accountId), ciphertext);
  return plain.ok ? (JSON.parse(plain.value) as JournalEntry) : undefined;
}
