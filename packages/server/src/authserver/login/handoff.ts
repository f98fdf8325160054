import { importJWK, type JWK, jwtVerify } from 'jose';
import { fail, ok, type Result } from '../../shared/result.js';

/** A hand-off assertion may live at most this long (`exp - iat`), and is single use via its nonce. */
export const HANDOFF_MAX_LIFETIME_SECONDS = 300;

export type HandoffKey = { kind: 'secret'; secret: string } | { kind: 'jwk'; jwk: JWK };

/**
 * The signed hand-off from the developer's app (README "MCP" section): a short-lived JWT whose
 * `aud` is the profile's authorization server, `sub` the user id and `nonce` the value Gatehouse
 * sent with the browser to the app's login URL. Signed with HS256 and the profile's shared secret,
 * or with the private half of the profile's public JWK.
 */
export async function verifyHandoff(
  assertion: string,
  key: HandoffKey,
  audience: string,
): Promise<Result<{ userId: string; nonce: string }>> {
  try {
    const [verificationKey, algorithms] =
      key.kind === 'secret'
        ? [new TextEncoder().encode(key.secret), ['HS256']]
        : [await importJWK(key.jwk, key.jwk.alg), [key.jwk.alg as string]];
    const { payload } = await jwtVerify(assertion, verificationKey, {
      algorithms,
      audience,
      requiredClaims: ['sub', 'nonce', 'iat', 'exp'],
      maxTokenAge: HANDOFF_MAX_LIFETIME_SECONDS,
      clockTolerance: 30,
    });
    const { sub, nonce, iat, exp } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256)
      return fail('login_failed', 'the hand-off names no usable user (sub)');
    if (typeof nonce !== 'string') return fail('login_failed', 'the hand-off has no nonce');
    if (Number(exp) - Number(iat) > HANDOFF_MAX_LIFETIME_SECONDS)
      return fail('login_failed', `the hand-off must expire within ${HANDOFF_MAX_LIFETIME_SECONDS} seconds`);
    return ok({ userId: sub, nonce });
  } catch {
    return fail('login_failed', 'the hand-off from the app is not valid (signature, audience or expiry)');
  }
}
