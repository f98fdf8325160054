import { decodeJwt, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { isAgentId } from '../agents/agent-ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import { type AgentPublicKeys, ASSERTION_ALGORITHMS } from './agent-keys.js';

/** RFC 7523 §3: an assertion is short-lived; Gatehouse accepts at most five minutes. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * An agent's signed JWT assertion (RFC 7523 §3, as for client authentication §2.2): `iss` = `sub` =
 * the agent id, `aud` = the project's token endpoint, `exp` within five minutes, `jti` used once.
 * Checked in that order of cost: claims that need no key, the signature with the agent's registered
 * keys, then the single-use `jti` (recorded only for a verified assertion, so a forgery cannot burn one).
 */
export class AgentAssertions {
  constructor(
    private readonly db: Db,
    private readonly keys: AgentPublicKeys,
  ) {}

  /** The agent the assertion authenticates. Failure messages never echo the assertion. */
  async verify(projectId: string, tokenEndpoint: string, assertion: string): Promise<Result<string>> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return fail('invalid_request', 'actor_token: not a JWT');
    }
    // §3 items 1 and 2: the agent is both issuer and subject.
    const agentId = claims.sub;
    if (typeof agentId !== 'string' || !isAgentId(agentId) || claims.iss !== agentId)
      return fail('invalid_request', 'actor_token: iss and sub must both be the agent id');
    const sets = await this.keys.keySetsOf(projectId, agentId);
    if (!sets) return fail('invalid_request', `actor_token: agent ${agentId} has no registered public key`);
    const verified = await verifyWithAny(assertion, sets, {
      algorithms: [...ASSERTION_ALGORITHMS],
      issuer: agentId,
      subject: agentId,
      audience: tokenEndpoint, // §3 item 3
      requiredClaims: ['exp', 'jti'], // §3 items 4 and 7
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (!verified.ok) return verified;
    const { exp, iat, jti } = verified.value;
    const now = Math.floor(Date.now() / 1000);
    const lifetime = exp! - Math.min(now, typeof iat === 'number' ? iat : now);
    if (lifetime > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
      return fail(
        'invalid_request',
        `actor_token: lives longer than ${MAX_ASSERTION_LIFETIME_SECONDS} s (exp too far ahead)`,
      );
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 200)
      return fail('invalid_request', 'actor_token: jti must be a string of 1-200 characters');
    // §3 item 7: the same jti is refused until the assertion would have expired anyway.
    const { rows } = await this.db.query(
      `INSERT INTO agent_assertion_jtis (project_id, agent_id, jti, expires_at)
       VALUES ($1, $2, $3, to_timestamp($4)) ON CONFLICT DO NOTHING RETURNING jti`,
      [projectId, agentId, jti, exp! + CLOCK_TOLERANCE_SECONDS],
    );
    if (rows.length === 0)
      return fail('invalid_request', 'actor_token: this assertion was already used (replay)');
    if (Math.random() < 0.01)
      this.db.query('DELETE FROM agent_assertion_jtis WHERE expires_at < now()').catch(() => {});
    return ok(agentId);
  }
}

/** Verifies against each key set in turn: a key that does not match moves on, a bad claim stops. */
async function verifyWithAny(
  token: string,
  sets: JWTVerifyGetKey[],
  options: Parameters<typeof jwtVerify>[2],
): Promise<Result<JWTPayload>> {
  let unreachable = false;
  for (const set of sets) {
    try {
      return ok((await jwtVerify(token, set, options)).payload);
    } catch (err) {
      if (err instanceof errors.JWTExpired) return fail('invalid_request', 'actor_token: expired');
      if (err instanceof errors.JWTClaimValidationFailed)
        return fail('invalid_request', `actor_token: ${err.claim} claim is not acceptable (${err.reason})`);
      if (err instanceof errors.JOSEAlgNotAllowed)
        return fail('invalid_request', 'actor_token: signature algorithm not allowed');
      if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) unreachable = true;
    }
  }
  return fail(
    'invalid_request',
    unreachable
      ? "actor_token: the agent's key set could not be fetched"
      : "actor_token: signature does not verify with the agent's registered keys",
  );
}
