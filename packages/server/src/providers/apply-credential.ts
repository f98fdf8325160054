import type { ProviderDefinition } from '@gatehouse/catalog';
import { basicToken, type Credentials } from '../accounts/credentials.js';

/**
 * Puts a credential on an upstream request the way the provider definition declares it: quirks as
 * data (`api.authHeader`, `apiKey.in/name/prefix`), one rule per credential kind.
 * - OAuth access token and static bearer token: `api.authHeader` (RFC 6750 §2.1 by default).
 * - API key: a header (`apiKey.name`, else `api.authHeader`) or a query parameter (OpenAPI `in: query`).
 * - Basic: `Authorization: Basic base64(user:password)` (RFC 7617 §2).
 */
export function applyCredential(
  def: Pick<ProviderDefinition, 'api' | 'apiKey'>,
  creds: Credentials,
  url: URL,
): { url: URL; headers: Record<string, string> } {
  const { name, prefix } = def.api.authHeader;
  switch (creds.kind) {
    case 'basic':
      return { url, headers: { authorization: `Basic ${basicToken(creds.username, creds.password)}` } };
    case 'bearer':
      return { url, headers: { [name.toLowerCase()]: `${prefix}${creds.token}` } };
    case 'api_key': {
      const spec = def.apiKey;
      if (spec?.in === 'query' && spec.name) {
        const withKey = new URL(url);
        withKey.searchParams.set(spec.name, creds.apiKey);
        return { url: withKey, headers: {} };
      }
      const header = (spec?.name ?? name).toLowerCase();
      return { url, headers: { [header]: `${spec?.prefix ?? (spec?.name ? '' : prefix)}${creds.apiKey}` } };
    }
    default:
      return { url, headers: { [name.toLowerCase()]: `${prefix}${creds.accessToken}` } };
  }
}
