import type { ClientMetadata } from 'oidc-provider';
import type { MemoryStore } from './memory-store.js';
import type { Provider } from './oidc-provider.js';

/** An OAuth client of the sandbox (a Gatehouse auth config, a test's client, ...). */
export interface SandboxClient {
  clientId: string;
  /** required unless `tokenEndpointAuthMethod` is `none` */
  clientSecret?: string;
  /** exact-match redirect URIs; `http://127.0.0.1:<port>/...` is allowed */
  redirectUris: string[];
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** shown on the consent page */
  name?: string;
}

export function clientMetadata(client: SandboxClient): ClientMetadata {
  return {
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    ...(client.name === undefined ? {} : { client_name: client.name }),
    redirect_uris: [...client.redirectUris],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

/**
 * Validates the client with oidc-provider's own rules, then stores it where oidc-provider looks up
 * clients (the instance's adapter), so clients can be added while the server runs.
 * Re-registering a client id replaces it.
 */
export async function registerClient(
  provider: Provider,
  store: MemoryStore,
  client: SandboxClient,
): Promise<void> {
  const metadata = clientMetadata(client);
  await provider.Client.validate(metadata);
  store.set('Client', client.clientId, metadata);
}

/**
 * oidc-provider treats client_secret_basic and client_secret_post as interchangeable. A provider
 * that registered a client for client_secret_post may refuse HTTP Basic, and the sandbox does, so a
 * broker that ignores a provider's auth method fails here as it would in production.
 * Returns the client id when the request must be refused.
 */
export function basicAuthForPostOnlyClient(
  authorization: string | undefined,
  registeredMethod: (clientId: string) => SandboxClient['tokenEndpointAuthMethod'] | undefined,
): string | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  let clientId: string;
  try {
    clientId = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
  } catch {
    return undefined;
  }
  return registeredMethod(clientId) === 'client_secret_post' ? clientId : undefined;
}
