import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { fail, ok, type Result } from '../shared/result.js';
import { ALG, type SigningKeys } from './signing-keys.js';
import type { ServerUrls } from './urls.js';

/** Short-lived on purpose: refresh tokens rotate, and a revoked family stops at the next check. */
export const ACCESS_TOKEN_TTL_SECONDS = 600;

export interface AccessTokenGrant {
  userId: string;
  clientId: string;
  scopes: string[];
  familyId: string;
}

export interface VerifiedAccessToken extends AccessTokenGrant {
  expiresAt: Date;
}

/**
 * RFC 9068 JWT access tokens: `typ: at+jwt`, `iss` = the profile's authorization server, `aud` =
 * the MCP endpoint (RFC 8707 resource), `sub` = the end user, `client_id`, `scope`, and `fam`
 * naming the token family so revocation takes effect before expiry.
 */
export class AccessTokens {
  constructor(private readonly keys: SigningKeys) {}

  async issue(
    projectId: string,
    urls: ServerUrls,
    grant: AccessTokenGrant,
    ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
  ): Promise<{ token: string; expiresIn: number }> {
    const { kid, key } = await this.keys.signingKey(projectId);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      client_id: grant.clientId,
      scope: grant.scopes.join(' '),
      fam: grant.familyId,
    })
      .setProtectedHeader({ alg: ALG, typ: 'at+jwt', kid })
      .setIssuer(urls.issuer)
      .setAudience(urls.resource)
      .setSubject(grant.userId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key);
    return { token, expiresIn: ttlSeconds };
  }

  /** Signature (this project's keys only), type, issuer, audience (exact) and expiry. */
  async verify(projectId: string, urls: ServerUrls, token: string): Promise<Result<VerifiedAccessToken>> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return fail('invalid_token', 'the access token is malformed');
    }
    const key = kid ? await this.keys.verificationKey(projectId, kid) : undefined;
    if (!key) return fail('invalid_token', 'the access token was not issued for this server');
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALG],
        typ: 'at+jwt',
        issuer: urls.issuer,
        audience: urls.resource,
        requiredClaims: ['sub', 'exp', 'client_id', 'fam'],
        clockTolerance: 5,
      });
      const { sub, client_id: clientId, scope, fam, exp } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof clientId !== 'string' || typeof fam !== 'string')
        return fail('invalid_token', 'the access token is malformed');
      return ok({
        userId: sub,
        clientId,
        familyId: fam,
        scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
        expiresAt: new Date(Number(exp) * 1000),
      });
    } catch (err) {
      if (err instanceof errors.JWTExpired) return fail('invalid_token', 'the access token expired');
      // Each profile has its own issuer and audience: either one differing means another server's token.
      if (err instanceof errors.JWTClaimValidationFailed && (err.claim === 'aud' || err.claim === 'iss'))
        return fail('invalid_token', 'the access token is for another resource');
      return fail('invalid_token', 'the access token is not valid');
    }
  }
}
