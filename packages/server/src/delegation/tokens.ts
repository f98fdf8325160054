import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { ALG, type SigningKeys } from '../authserver/signing-keys.js';
import { fail, ok, type Result } from '../shared/result.js';
import { actOf, type Chain, chainOf } from './chain.js';
import { delegationUrls, projectOfIssuer } from './urls.js';

export interface DelegationGrant {
  userId: string;
  /** Agent ids, outermost (the agent that will hold the token) first. */
  chain: Chain;
  scopes: readonly string[];
  audience: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A verified exchanged token: the end user, the chain that acts for them, and what it may do. */
export interface Delegation {
  projectId: string;
  userId: string;
  chain: Chain;
  scopes: ReadonlySet<string>;
  tokenId: string;
  expiresAt: Date;
}

const TYP = 'at+jwt';

/**
 * Gatehouse's exchanged tokens (RFC 8693 §2.2.1 issued as RFC 9068 JWT access tokens): `iss` = the
 * project's delegation issuer, `sub` = the end user, `act` = the chain (§4.1), `client_id` = the
 * acting agent, `aud` = the API or one MCP server, `scope`, `jti`, `exp` in minutes. Signed ES256
 * by the project's delegation key (`kid` in the header; JWKS at the issuer's `/jwks.json`).
 */
export class DelegationTokens {
  constructor(
    private readonly publicUrl: string,
    private readonly keys: SigningKeys,
  ) {}

  async issue(projectId: string, g: DelegationGrant): Promise<string> {
    const { kid, key } = await this.keys.signingKey(projectId);
    return new SignJWT({ act: actOf(g.chain), client_id: g.chain[0], scope: g.scopes.join(' ') })
      .setProtectedHeader({ alg: ALG, typ: TYP, kid })
      .setIssuer(delegationUrls(this.publicUrl, projectId).issuer)
      .setSubject(g.userId)
      .setAudience(g.audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(g.expiresAt)
      .sign(key);
  }

  /** Whether a bearer credential claims to be one of ours (an unverified look at `iss`). */
  claimsToBe(token: string): boolean {
    try {
      return projectOfIssuer(this.publicUrl, decodeJwt(token).iss) !== undefined;
    } catch {
      return false;
    }
  }

  /**
   * RFC 6750 §3.1 `invalid_token` for anything wrong: malformed, unknown issuer or key, bad
   * signature, wrong type, expired, another audience, a malformed chain. `project`: the token must
   * be that project's (the MCP endpoint knows its project; the API learns it from the token).
   * `audience` undefined: any of the project's audiences (a token exchanged again, RFC 8693 §2.1).
   */
  async verify(token: string, audience: string | undefined, project?: string): Promise<Result<Delegation>> {
    let projectId: string | undefined;
    let kid: string | undefined;
    try {
      projectId = projectOfIssuer(this.publicUrl, decodeJwt(token).iss);
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return fail('invalid_token', 'the token is malformed');
    }
    if (!projectId || (project !== undefined && projectId !== project))
      return fail('invalid_token', 'the token was not issued by this project (unknown issuer)');
    const key = kid ? await this.keys.verificationKey(projectId, kid) : undefined;
    if (!key) return fail('invalid_token', "the token is not signed by one of the project's keys");
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALG],
        typ: TYP,
        issuer: delegationUrls(this.publicUrl, projectId).issuer,
        ...(audience === undefined ? {} : { audience }),
        requiredClaims: ['sub', 'exp', 'act', 'jti'],
        clockTolerance: 5,
      });
      const chain = chainOf(payload.act);
      if (!chain || typeof payload.sub !== 'string')
        return fail('invalid_token', 'the token has no valid act chain');
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return ok({
        projectId,
        userId: payload.sub,
        chain,
        scopes: new Set(scope.split(' ').filter(Boolean)),
        tokenId: String(payload.jti),
        expiresAt: new Date(Number(payload.exp) * 1000),
      });
    } catch (err) {
      if (err instanceof errors.JWTExpired) return fail('invalid_token', 'the token expired');
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud')
        return fail('invalid_token', 'the token is for another audience');
      if (err instanceof errors.JWSSignatureVerificationFailed)
        return fail('invalid_token', 'the token signature does not verify');
      return fail('invalid_token', 'the token is not valid');
    }
  }
}
