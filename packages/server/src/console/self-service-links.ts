import { signAssertion, verifyAssertion } from '../authserver/project-assertions.js';
import type { SigningKeys } from '../authserver/signing-keys.js';
import { randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';

/** How long a minted link may wait before its first open, and how long the page then stays open. */
export const SELF_SERVICE_TTL_MS = 15 * 60_000;
export const SELF_SERVICE_MAX_TTL_MS = 60 * 60_000;
/** The assertion's JOSE `typ`: never accepted as an approval assertion, link verification or access token. */
export const SELF_SERVICE_TYP = 'gatehouse-self-service+jwt';

export interface SelfServiceClaims {
  projectId: string;
  userId: string;
  jti: string;
  expiresAt: Date;
}

/**
 * The end user's own page, opened from a link the developer's app mints for its signed-in user with
 * an admin key (`POST /v1/users/:userId/self-service-links`). The link carries a signed assertion the
 * way an approval decision does (approvals/decision-binding.ts): ES256 with the project's signing
 * key, our issuer, the project as audience, a `jti` and a short expiry, and its own `typ`. The app
 * vouches for its user by minting; the first open spends the `jti`, so a link that leaks later (a
 * log, an agent's context) opens nothing. The page then keeps the assertion in an HttpOnly cookie.
 */
export class SelfServiceLinks {
  constructor(private readonly d: { db: Db; signingKeys: SigningKeys; issuer: string }) {}

  async mint(
    projectId: string,
    userId: string,
    ttlMs = SELF_SERVICE_TTL_MS,
  ): Promise<{ url: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + Math.min(ttlMs, SELF_SERVICE_MAX_TTL_MS));
    const token = await signAssertion(this.d, projectId, {
      typ: SELF_SERVICE_TYP,
      claims: { user_id: userId },
      subject: userId,
      jti: randomToken(32),
      expiresAt,
    });
    const url = new URL('/my/connections', this.d.issuer);
    url.searchParams.set('token', token);
    return { url: url.toString(), expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) };
  }

  /** Opening the link: a valid assertion whose `jti` was never spent (it is spent now). */
  async open(token: string): Promise<Result<SelfServiceClaims>> {
    const claims = await this.verify(token);
    if (!claims.ok) return claims;
    const { rows } = await this.d.db.query(
      `INSERT INTO self_service_links_used (jti, project_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (jti) DO NOTHING RETURNING jti`,
      [claims.value.jti, claims.value.projectId, claims.value.expiresAt],
    );
    if (rows.length === 0)
      return fail('invalid_token', 'This link was already used. Ask the app for a new one.');
    await this.d.db.query('DELETE FROM self_service_links_used WHERE expires_at < now()');
    return claims;
  }

  /** The assertion as the page's cookie carries it (already opened once). */
  async verify(token: string | undefined): Promise<Result<SelfServiceClaims>> {
    const invalid = (why: string) => fail('invalid_token', `This link ${why}. Ask the app for a new one.`);
    if (!token || token.length > 4096) return invalid('is not valid');
    let projectId: string | undefined;
    try {
      // The audience names the project whose key must have signed it; verifyAssertion checks both.
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        aud?: unknown;
      };
      projectId = typeof payload.aud === 'string' ? payload.aud : undefined;
    } catch {
      return invalid('is malformed');
    }
    if (!projectId || !/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) return invalid('is malformed');
    const verified = await verifyAssertion(this.d, projectId, token, SELF_SERVICE_TYP);
    if (!verified.ok)
      return invalid(verified.why === 'is not signed by this project' ? 'is not valid' : verified.why);
    const { payload } = verified;
    if (typeof payload.user_id !== 'string' || payload.user_id !== payload.sub)
      return invalid('is malformed');
    return ok({
      projectId,
      userId: payload.user_id,
      jti: payload.jti,
      expiresAt: new Date(payload.exp! * 1000),
    });
  }
}
