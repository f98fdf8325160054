import { type ExchangeStep, GRANT_TYPE, refuse, TOKEN_TYPE } from './types.js';

const SUBJECT_TYPES: readonly string[] = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt, TOKEN_TYPE.idToken];
const ACTOR_TYPES: readonly string[] = [TOKEN_TYPE.jwt, TOKEN_TYPE.agentKey];
const ISSUABLE: readonly string[] = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt];

/**
 * RFC 8693 §2.1: the grant type, a subject token and its type, and here always an actor token:
 * Gatehouse issues tokens to agents acting for a user, never impersonation tokens (§1.1).
 */
export const checkRequest: ExchangeStep = ({ form }) => {
  if (form.grant_type !== GRANT_TYPE)
    return refuse('unsupported_grant_type', `grant_type must be ${GRANT_TYPE}`);
  if (!form.subject_token) return refuse('invalid_request', 'subject_token is required');
  if (!form.subject_token_type || !SUBJECT_TYPES.includes(form.subject_token_type))
    return refuse('invalid_request', `subject_token_type must be one of ${SUBJECT_TYPES.join(', ')}`);
  // §2.1: actor_token is OPTIONAL in general; delegation (an `act` claim) needs it.
  if (!form.actor_token)
    return refuse('invalid_request', "actor_token is required: the agent's key or signed assertion");
  if (!form.actor_token_type || !ACTOR_TYPES.includes(form.actor_token_type))
    return refuse('invalid_request', `actor_token_type must be one of ${ACTOR_TYPES.join(', ')}`);
  if (form.requested_token_type && !ISSUABLE.includes(form.requested_token_type))
    return refuse('invalid_request', `requested_token_type must be one of ${ISSUABLE.join(', ')}`);
  return undefined;
};
