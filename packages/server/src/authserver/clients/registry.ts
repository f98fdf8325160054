import { fail, ok, type Result } from '../../shared/result.js';
import type { OAuthClientRecord } from './client.js';
import { isMetadataDocumentId, type MetadataDocuments } from './metadata-document.js';
import { type ClientRegistrations, secretMatches } from './registration.js';

const REGISTERED_ID = /^mcc_[0-9a-z]{26}$/;

/** Finds a client by its id: a registered one (`mcc_…`) or a metadata document URL. */
export class Clients {
  constructor(
    readonly registrations: ClientRegistrations,
    readonly documents: MetadataDocuments,
    private readonly allowInternal: boolean,
  ) {}

  async find(projectId: string, serverId: string, clientId: string): Promise<Result<OAuthClientRecord>> {
    if (REGISTERED_ID.test(clientId)) {
      const found = await this.registrations.find(projectId, serverId, clientId);
      return found ? ok(found) : fail('invalid_client', 'unknown client_id');
    }
    if (isMetadataDocumentId(clientId, this.allowInternal)) return this.documents.load(clientId);
    return fail('invalid_client', 'unknown client_id');
  }

  /**
   * RFC 6749 §2.3 / OAuth 2.1 §2.4: authenticates the client at the token and revocation endpoints
   * with the method it registered (a Basic header for client_secret_basic, body parameters for
   * client_secret_post); public clients identify themselves with `client_id` alone.
   */
  async authenticate(
    projectId: string,
    serverId: string,
    presented: {
      authorization: string | undefined;
      clientId: string | undefined;
      clientSecret: string | undefined;
    },
  ): Promise<Result<OAuthClientRecord>> {
    const basic = parseBasic(presented.authorization);
    if (basic === null) return fail('invalid_client', 'malformed Basic credentials');
    if (basic && presented.clientSecret !== undefined)
      return fail('invalid_request', 'use one client authentication method, not two');
    if (basic && presented.clientId !== undefined && presented.clientId !== basic.clientId)
      return fail('invalid_client', 'client_id does not match the authenticated client');
    const clientId = basic?.clientId ?? presented.clientId;
    if (!clientId) return fail('invalid_client', 'client authentication is required');
    const found = await this.find(projectId, serverId, clientId);
    if (!found.ok) return fail('invalid_client', 'client authentication failed');
    const client = found.value;
    const method = client.tokenEndpointAuthMethod;
    if (method === 'none') {
      if (basic || presented.clientSecret !== undefined)
        return fail('invalid_client', 'this client is public and has no secret');
      return ok(client);
    }
    const secret = method === 'client_secret_basic' ? basic?.clientSecret : presented.clientSecret;
    if (!secretMatches(client, secret)) return fail('invalid_client', 'client authentication failed');
    return ok(client);
  }
}

/** undefined: no Basic header; null: a malformed one. Credentials are form-urlencoded (§2.3.1). */
function parseBasic(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined | null {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return /^Basic\b/i.test(header.trim()) ? null : undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    const decode = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}
