import { parseScope } from '../../authserver/scopes.js';
import { isDelegationScope } from '../scopes.js';
import { type ExchangeStep, refuse } from './types.js';

/**
 * RFC 8693 §2.1 `scope` (RFC 6749 §3.3): the new token gets what is asked, and only within what the
 * subject token allows; nothing asked means all of that. An exchange narrows, never widens: a
 * sub-agent cannot get more than the agent that handed it the token.
 */
export const narrowScope: ExchangeStep = (ctx) => {
  const ceiling = ctx.subject!.scopeCeiling;
  const asked = parseScope(ctx.form.scope);
  const unknown = asked.find((s) => !isDelegationScope(s));
  if (unknown) return refuse('invalid_scope', `unknown scope ${unknown.slice(0, 100)}`);
  const wider = asked.find((s) => !ceiling.includes(s));
  if (wider) return refuse('invalid_scope', `scope ${wider} is wider than the subject token allows`);
  const scopes = asked.length > 0 ? asked : [...ceiling];
  if (scopes.length === 0) return refuse('invalid_scope', 'the subject token allows no scope');
  ctx.scopes = scopes;
  return undefined;
};
