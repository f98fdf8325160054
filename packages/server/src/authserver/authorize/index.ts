import { checkClient, checkRedirectUri } from './check-client.js';
import { checkPkce } from './check-pkce.js';
import { checkResource } from './check-resource.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';
import type { AuthorizeContext, AuthorizeDeps, AuthorizeHalt, AuthorizeStep } from './types.js';

/** The authorization endpoint's checks, in order; the first failure ends the request. */
const PIPELINE: readonly AuthorizeStep[] = [
  checkClient, //        the client exists (registered, or its metadata document validates)
  checkRedirectUri, //   a registered redirect URI (loopback IPs: any port); errors are shown until here
  checkResponseType, //  `code` only
  checkPkce, //          S256 challenge required
  checkResource, //      RFC 8707 resource is this MCP endpoint
  checkScope, //         known scopes
];

export async function checkAuthorizationRequest(
  ctx: AuthorizeContext,
  d: AuthorizeDeps,
): Promise<AuthorizeHalt | undefined> {
  for (const step of PIPELINE) {
    const halt = await step(ctx, d);
    if (halt) return halt;
  }
  return undefined;
}

export type { AuthorizeContext, AuthorizeHalt, AuthorizeParams } from './types.js';
