import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { ALG, type SigningKeys } from './signing-keys.js';

/**
 * Short-lived statements Gatehouse signs with a project's key and hands to the developer's app through
 * the user's browser, to be brought back (a Connect Link verification, an approval decision, an end
 * user's self-service link): ES256, our issuer, the project as audience, a `jti` and an expiry. Each
 * kind has its own JOSE `typ`, so one can never be replayed as another or as an access token.
 */
export interface AssertionDeps {
  signingKeys: SigningKeys;
  issuer: string;
}

export interface AssertionSpec {
  typ: string;
  claims: Record<string, unknown>;
  jti: string;
  expiresAt: Date;
  subject?: string;
}

export async function signAssertion(
  d: AssertionDeps,
  projectId: string,
  spec: AssertionSpec,
): Promise<string> {
  const { kid, key } = await d.signingKeys.signingKey(projectId);
  const jwt = new SignJWT(spec.claims)
    .setProtectedHeader({ alg: ALG, typ: spec.typ, kid })
    .setIssuer(d.issuer)
    .setAudience(projectId)
    .setJti(spec.jti)
    .setIssuedAt()
    .setExpirationTime(Math.floor(spec.expiresAt.getTime() / 1000));
  if (spec.subject !== undefined) jwt.setSubject(spec.subject);
  return jwt.sign(key);
}

/** The payload, or why it is refused, worded to follow "The … assertion" in an error message. */
export type Verified = { ok: true; payload: JWTPayload & { jti: string } } | { ok: false; why: string };

/** Signature by one of this project's keys, `typ`, issuer, audience, expiry and a `jti`. */
export async function verifyAssertion(
  d: AssertionDeps,
  projectId: string,
  token: string,
  typ: string,
): Promise<Verified> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, why: 'is malformed' };
  }
  const key = kid ? await d.signingKeys.verificationKey(projectId, kid) : undefined;
  if (!key) return { ok: false, why: 'is not signed by this project' };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      typ,
      issuer: d.issuer,
      audience: projectId,
      requiredClaims: ['exp', 'jti'],
    });
    if (typeof payload.jti !== 'string') return { ok: false, why: 'is malformed' };
    return { ok: true, payload: { ...payload, jti: payload.jti } };
  } catch (e) {
    return { ok: false, why: e instanceof errors.JWTExpired ? 'has expired' : 'is not valid' };
  }
}
