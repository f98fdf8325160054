import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';
import type { Vault } from '../vault/vault.js';

/**
 * What Gatehouse keeps of a token response: only what it needs to act and refresh. Blobs written
 * before static credentials existed have no `kind`: they are OAuth tokens.
 */
export interface OAuthCredentials {
  kind?: 'oauth2';
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  idToken?: string;
}

// Static credentials have no OAuth fields, so code reading `refreshToken` of any credentials sees undefined.
type NoOAuthFields = { accessToken?: never; refreshToken?: never; idToken?: never };

/** A secret the user entered (or the app submitted): sent as the provider definition declares, never refreshed. */
export type StaticCredentials = NoOAuthFields &
  (
    | { kind: 'api_key'; apiKey: string }
    | { kind: 'bearer'; token: string }
    | { kind: 'basic'; username: string; password: string }
  );

export type Credentials = OAuthCredentials | StaticCredentials;
export type CredentialKind = NonNullable<Credentials['kind']>;

export const kindOf = (c: Credentials): CredentialKind => c.kind ?? 'oauth2';
export const isOAuth = (c: Credentials): c is OAuthCredentials => kindOf(c) === 'oauth2';

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
  const parsed = JSON.parse(plain.value) as Record<string, unknown>;
  const complete =
    parsed.kind === 'api_key'
      ? typeof parsed.apiKey === 'string'
      : parsed.kind === 'bearer'
        ? typeof parsed.token === 'string'
        : parsed.kind === 'basic'
          ? typeof parsed.username === 'string' && typeof parsed.password === 'string'
          : typeof parsed.accessToken === 'string';
  if (!complete) return fail('secret_unreadable', 'stored credentials are incomplete');
  return ok(parsed as unknown as Credentials);
}

/** Every secret value in a credentials blob (and the Basic header made of it), for scrubbing. */
export function secretValues(creds: Credentials): string[] {
  const values =
    creds.kind === 'api_key'
      ? [creds.apiKey, encodeURIComponent(creds.apiKey)]
      : creds.kind === 'bearer'
        ? [creds.token]
        : creds.kind === 'basic'
          ? [creds.password, basicToken(creds.username, creds.password)]
          : [creds.accessToken, creds.refreshToken, creds.idToken];
  return [...new Set(values)].filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

/** RFC 7617 §2: base64 of `user-id ":" password` (UTF-8). */
export const basicToken = (username: string, password: string): string =>
  Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
