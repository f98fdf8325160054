import { type ExchangeStep, refuse } from './types.js';

/**
 * RFC 8693 §4.4 `may_act`: a subject token that names who may act for its subject allows only that
 * actor. Gatehouse agents are identified by `sub` = agent id; an `iss` in `may_act`, when given,
 * must be this project's issuer (the namespace agent ids live in).
 */
export const checkMayAct: ExchangeStep = (ctx) => {
  const mayAct = ctx.subject!.mayAct;
  if (mayAct === undefined) return undefined;
  if (!mayAct || typeof mayAct !== 'object' || Array.isArray(mayAct))
    return refuse('invalid_request', 'subject_token: may_act is not a JSON object');
  const { sub, iss } = mayAct as Record<string, unknown>;
  const names = sub === ctx.actor && (iss === undefined || iss === ctx.urls.issuer);
  if (!names)
    return refuse(
      'invalid_request',
      `subject_token: may_act does not allow agent ${ctx.actor} to act for this user`,
    );
  return undefined;
};
