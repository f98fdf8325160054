import { type AuthorizeContext, type AuthorizeHalt, back } from './types.js';

/** 3. Authorization code only (OAuth 2.1 removed the implicit grant). */
export function checkResponseType(ctx: AuthorizeContext): AuthorizeHalt | undefined {
  if (ctx.params.response_type !== 'code')
    return back('unsupported_response_type', 'response_type must be "code"');
  if (!ctx.client!.grantTypes.includes('authorization_code'))
    return back('unauthorized_client', 'this client is not registered for the authorization code grant');
  return undefined;
}
