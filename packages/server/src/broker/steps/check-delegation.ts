import { allowsRisk, scopeForRisk } from '../../authserver/scopes.js';
import type { ExecutionContext, Halt, ProxyContext } from '../types.js';
import { rejection } from '../types.js';

/**
 * A call made with an exchanged token does only what the token's scopes allow (RFC 6750 §3.1
 * `insufficient_scope`): a read tool needs `tools:read`, anything else `tools:write`.
 */
export function checkDelegatedScope(ctx: ExecutionContext): Halt | undefined {
  const delegation = ctx.request.delegation;
  if (!delegation || allowsRisk(delegation.scopes, ctx.tool!.tool.risk)) return undefined;
  const needed = scopeForRisk(ctx.tool!.tool.risk);
  return rejection(
    'insufficient_scope',
    `this token does not allow ${ctx.request.slug}: it needs ${needed}`,
    {
      requiredScope: needed,
    },
  );
}

/**
 * A proxied call with an exchanged token needs the `proxy` scope, and the connected account must be
 * the token's user's: the token acts for one user, whatever account id the request names.
 */
export function checkDelegatedProxy(ctx: ProxyContext): Halt | undefined {
  const delegation = ctx.request.delegation;
  if (!delegation) return undefined;
  if (ctx.account!.userId !== delegation.userId)
    return rejection(
      'forbidden',
      "this token acts for another user; the connected account is not the token user's",
    );
  if (!delegation.scopes.has('proxy'))
    return rejection('insufficient_scope', 'this token does not allow proxied requests: it needs proxy', {
      requiredScope: 'proxy',
    });
  return undefined;
}
