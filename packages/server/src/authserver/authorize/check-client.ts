import { redirectUriMatches } from '../clients/client.js';
import { type AuthorizeContext, type AuthorizeDeps, type AuthorizeHalt, show } from './types.js';

/** 1. The client exists (registered here, or a metadata document that validates). */
export async function checkClient(
  ctx: AuthorizeContext,
  d: AuthorizeDeps,
): Promise<AuthorizeHalt | undefined> {
  const clientId = ctx.params.client_id;
  if (!clientId) return show('invalid_request', 'client_id is missing');
  const found = await d.clients.find(ctx.server.projectId, ctx.server.id, clientId);
  if (!found.ok) return show('invalid_client', found.error.message);
  ctx.client = found.value;
  return undefined;
}

/**
 * 2. The redirect URI is one the client registered, compared as exact strings (OAuth 2.1 §4.1.1),
 * any port allowed on a loopback IP literal (RFC 8252 §7.3). The URI as presented is kept: the code
 * goes back there, and the token request must repeat it (RFC 6749 §4.1.3).
 */
export function checkRedirectUri(ctx: AuthorizeContext): AuthorizeHalt | undefined {
  const uri = ctx.params.redirect_uri;
  if (!uri) return show('invalid_request', 'redirect_uri is missing');
  if (!ctx.client!.redirectUris.some((registered) => redirectUriMatches(registered, uri)))
    return show('invalid_request', 'redirect_uri does not match any redirect URI registered for this client');
  ctx.redirectUri = uri;
  return undefined;
}
