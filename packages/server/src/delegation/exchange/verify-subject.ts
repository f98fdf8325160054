import { decodeJwt, errors, jwtVerify } from 'jose';
import { DELEGATION_SCOPES } from '../scopes.js';
import type { TrustedIssuer } from '../settings.js';
import { type ExchangeContext, type ExchangeDeps, type ExchangeStep, refuse, type Subject } from './types.js';

const IDP_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const MAX_USER_ID = 256;

/**
 * RFC 8693 §2.1 `subject_token`: the user on whose behalf the agent acts. Either a token of an
 * identity provider the project trusts (issuer, JWKS, audience, user id claim: settings), or a
 * token this project issued (an agent hands its token to a sub-agent, which exchanges it again and
 * extends the chain, §4.1). A token of an issuer the project did not configure is refused.
 */
export const verifySubject: ExchangeStep = async (ctx, d) => {
  const token = ctx.form.subject_token!;
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    return refuse('invalid_request', 'subject_token: not a JWT');
  }
  if (iss === ctx.urls.issuer) return fromGatehouse(ctx, d, token);
  const trusted = ctx.settings.trustedIssuers.find((t) => t.issuer === iss);
  if (!trusted)
    return refuse(
      'invalid_request',
      `subject_token: issuer ${typeof iss === 'string' ? iss.slice(0, 200) : '(none)'} is not trusted by this project (PUT /v1/settings/delegation)`,
    );
  return fromIdentityProvider(ctx, d, token, trusted);
};

async function fromGatehouse(ctx: ExchangeContext, d: ExchangeDeps, token: string) {
  const verified = await d.tokens.verify(token, undefined, ctx.projectId);
  if (!verified.ok) return refuse('invalid_request', `subject_token: ${verified.error.message}`);
  const t = verified.value;
  ctx.subject = {
    userId: t.userId,
    issuer: ctx.urls.issuer,
    chain: t.chain,
    scopeCeiling: [...t.scopes],
    expiresAt: Math.floor(t.expiresAt.getTime() / 1000),
    mayAct: undefined,
  };
  return undefined;
}

async function fromIdentityProvider(
  ctx: ExchangeContext,
  d: ExchangeDeps,
  token: string,
  trusted: TrustedIssuer,
) {
  try {
    const { payload } = await jwtVerify(token, d.remoteKeys.get(trusted.jwksUri), {
      issuer: trusted.issuer,
      audience: trusted.audience,
      algorithms: IDP_ALGORITHMS,
      requiredClaims: ['exp'],
      clockTolerance: 5,
    });
    const userId = payload[trusted.userIdClaim];
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID)
      return refuse('invalid_request', `subject_token: claim ${trusted.userIdClaim} is not a user id`);
    const subject: Subject = {
      userId,
      issuer: trusted.issuer,
      chain: [],
      scopeCeiling: trusted.scopes ?? [...DELEGATION_SCOPES],
      expiresAt: Number(payload.exp),
      mayAct: payload.may_act,
    };
    ctx.subject = subject;
    return undefined;
  } catch (err) {
    return refuse('invalid_request', `subject_token: ${reason(err)}`);
  }
}

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed)
    return `${err.claim} claim is not acceptable (${err.reason})`;
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return "signature does not verify with the issuer's keys";
  if (err instanceof errors.JWKSNoMatchingKey) return "no key of the issuer's JWKS matches";
  if (err instanceof errors.JOSEAlgNotAllowed) return 'signature algorithm not allowed';
  if (err instanceof errors.JOSEError) return 'not a valid token';
  return "the issuer's JWKS could not be fetched";
}
