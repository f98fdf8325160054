import { isScope, parseScope, SUPPORTED_SCOPES } from '../scopes.js';
import { type AuthorizeContext, type AuthorizeHalt, back } from './types.js';

/** 6. Known scopes only; none asked means the client's registered scope, else every supported one. */
export function checkScope(ctx: AuthorizeContext): AuthorizeHalt | undefined {
  let scopes = parseScope(ctx.params.scope);
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length > 0) return back('invalid_scope', `unsupported scope: ${unknown.join(' ')}`);
  if (scopes.length === 0) scopes = parseScope(ctx.client!.scope);
  if (scopes.length === 0) scopes = [...SUPPORTED_SCOPES];
  ctx.scopes = scopes;
  return undefined;
}
