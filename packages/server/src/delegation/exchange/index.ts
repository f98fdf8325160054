import { fail, ok, type Result } from '../../shared/result.js';
import type { DelegationSettings } from '../settings.js';
import type { DelegationUrls } from '../urls.js';
import { authenticateActor } from './authenticate-actor.js';
import { checkAudience } from './check-audience.js';
import { checkDepth } from './check-depth.js';
import { checkMayAct } from './check-may-act.js';
import { checkRequest } from './check-request.js';
import { narrowScope } from './narrow-scope.js';
import type { ExchangeContext, ExchangeDeps, ExchangeForm } from './types.js';
import { TOKEN_TYPE } from './types.js';
import { verifySubject } from './verify-subject.js';

/** RFC 8693 §2.2.1: the successful response. */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * A token exchange at a project's token endpoint, in order; the first step that refuses ends it
 * with its OAuth error (§2.2.2). One rule per file, each citing its section.
 */
const EXCHANGE_STEPS = [
  checkRequest, //       §2.1: grant type, token types; an actor token is required
  authenticateActor, //  §2.1 actor_token: the agent's key or its RFC 7523 assertion
  verifySubject, //      §2.1 subject_token: a trusted IdP's user token, or ours (re-exchange)
  checkMayAct, //        §4.4 may_act: the subject token may name who may act
  checkDepth, //         §4.1 nested act: the new chain, within the project's depth limit
  narrowScope, //        §2.1 scope: narrowed, never widened
  checkAudience, //      §2.1 audience/resource: the API or one of the project's MCP servers
] as const;

export async function exchangeToken(
  input: { projectId: string; urls: DelegationUrls; settings: DelegationSettings; form: ExchangeForm },
  d: ExchangeDeps,
): Promise<Result<TokenExchangeResponse>> {
  const ctx: ExchangeContext = { ...input };
  for (const step of EXCHANGE_STEPS) {
    const refused = await step(ctx, d);
    if (refused) return fail(refused.code, refused.message);
  }
  // Minutes, and never past the subject token's own expiry.
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = Math.min(now + ctx.settings.tokenTtlSeconds, ctx.subject!.expiresAt);
  if (expiresAt <= now) return fail('invalid_request', 'subject_token: expired');
  const token = await d.tokens.issue(ctx.projectId, {
    userId: ctx.subject!.userId,
    chain: ctx.chain!,
    scopes: ctx.scopes!,
    audience: ctx.audience!,
    expiresAt,
  });
  return ok({
    access_token: token,
    issued_token_type: ctx.form.requested_token_type ?? TOKEN_TYPE.accessToken,
    token_type: 'Bearer',
    expires_in: expiresAt - now,
    scope: ctx.scopes!.join(' '),
  });
}
