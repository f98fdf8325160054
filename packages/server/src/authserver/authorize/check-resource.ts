import { type AuthorizeContext, type AuthorizeHalt, back } from './types.js';

/**
 * 5. RFC 8707: the token will be for this profile's MCP endpoint and nothing else. A client asking
 * for another resource is refused (`invalid_target`); one that sends none gets this one.
 */
export function checkResource(ctx: AuthorizeContext): AuthorizeHalt | undefined {
  const resource = ctx.params.resource;
  if (resource !== undefined && resource.replace(/\/$/, '') !== ctx.urls.resource)
    return back('invalid_target', `this authorization server issues tokens only for ${ctx.urls.resource}`);
  ctx.resource = ctx.urls.resource;
  return undefined;
}
