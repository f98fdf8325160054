import { createLocalJWKSet, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import { newId } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { RemoteKeySets } from './remote-jwks.js';

/** A public key an agent signs its assertions with: a JWK, or the URL of a JWK Set it serves. */
export interface AgentPublicKey {
  id: string;
  agentId: string;
  jwk: JWK | null;
  jwksUri: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

interface Row extends Record<string, unknown> {
  id: string;
  agent_id: string;
  jwk: JWK | null;
  jwks_uri: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, agent_id, jwk, jwks_uri, created_at, revoked_at';
const toKey = (r: Row): AgentPublicKey => ({
  id: r.id,
  agentId: r.agent_id,
  jwk: r.jwk,
  jwksUri: r.jwks_uri,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Asymmetric signatures only: a shared secret (`oct`) would let Gatehouse sign as the agent. */
export const ASSERTION_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const;
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  EC: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'],
  RSA: ['kty', 'n', 'e', 'kid', 'alg', 'use'],
  OKP: ['kty', 'crv', 'x', 'kid', 'alg', 'use'],
};

/** The registered public keys of agents, and the key set that verifies one agent's assertions. */
export class AgentPublicKeys {
  constructor(
    private readonly db: Db,
    private readonly remote: RemoteKeySets,
  ) {}

  async register(
    projectId: string,
    agentId: string,
    input: { jwk: Record<string, unknown> } | { jwksUri: string },
  ): Promise<Result<AgentPublicKey>> {
    let jwk: JWK | null = null;
    if ('jwk' in input) {
      const checked = await publicJwk(input.jwk);
      if (!checked.ok) return checked;
      jwk = checked.value;
    } else {
      const refused = this.remote.refusal(input.jwksUri);
      if (refused) return fail('address_not_allowed', `jwksUri: ${refused}`);
    }
    const { rows } = await this.db.query<Row>(
      `INSERT INTO agent_public_keys (id, project_id, agent_id, jwk, jwks_uri)
       SELECT $1, project_id, id, $4::jsonb, $5 FROM agents WHERE project_id = $2 AND id = $3 AND disabled_at IS NULL
       RETURNING ${COLUMNS}`,
      [
        newId('apk'),
        projectId,
        agentId,
        jwk ? JSON.stringify(jwk) : null,
        'jwksUri' in input ? input.jwksUri : null,
      ],
    );
    return rows[0] ? ok(toKey(rows[0])) : fail('not_found', `agent ${agentId} not found`);
  }

  async list(projectId: string, agentId: string): Promise<AgentPublicKey[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM agent_public_keys WHERE project_id = $1 AND agent_id = $2 ORDER BY id DESC LIMIT 100`,
      [projectId, agentId],
    );
    return rows.map(toKey);
  }

  async revoke(projectId: string, agentId: string, keyId: string): Promise<Result<AgentPublicKey>> {
    const { rows } = await this.db.query<Row>(
      `UPDATE agent_public_keys SET revoked_at = coalesce(revoked_at, now())
        WHERE project_id = $1 AND agent_id = $2 AND id = $3 RETURNING ${COLUMNS}`,
      [projectId, agentId, keyId],
    );
    return rows[0] ? ok(toKey(rows[0])) : fail('not_found', `agent ${agentId} has no public key ${keyId}`);
  }

  /**
   * The keys that may verify an enabled agent's assertion, read on every exchange (no cache: a
   * revoked key or a deleted agent stops at once). Undefined when the agent has none.
   */
  async keySetsOf(projectId: string, agentId: string): Promise<JWTVerifyGetKey[] | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `k.${c}`)
        .join(', ')} FROM agent_public_keys k
         JOIN agents a ON a.project_id = k.project_id AND a.id = k.agent_id AND a.disabled_at IS NULL
        WHERE k.project_id = $1 AND k.agent_id = $2 AND k.revoked_at IS NULL`,
      [projectId, agentId],
    );
    if (rows.length === 0) return undefined;
    const local = rows.flatMap((r) => (r.jwk ? [r.jwk] : []));
    const sets = rows.flatMap((r) => (r.jwks_uri ? [this.remote.get(r.jwks_uri)] : []));
    return local.length > 0 ? [createLocalJWKSet({ keys: local }), ...sets] : sets;
  }
}

/** A public JWK of a supported type, with no private member; it must import. */
async function publicJwk(raw: Record<string, unknown>): Promise<Result<JWK>> {
  const allowed = typeof raw.kty === 'string' ? PUBLIC_MEMBERS[raw.kty] : undefined;
  if (!allowed) return fail('invalid_request', 'body.jwk: kty must be EC, RSA or OKP');
  const extra = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (extra.length > 0)
    return fail(
      'invalid_request',
      `body.jwk: ${extra.includes('d') ? 'is a private key; register the public half only' : `unexpected member ${extra[0]}`}`,
    );
  if (raw.alg !== undefined && !(ASSERTION_ALGORITHMS as readonly unknown[]).includes(raw.alg))
    return fail('invalid_request', `body.jwk: alg must be one of ${ASSERTION_ALGORITHMS.join(', ')}`);
  const jwk = raw as JWK;
  try {
    await importJWK(jwk, jwk.alg ?? defaultAlg(jwk));
  } catch {
    return fail('invalid_request', 'body.jwk: not a valid public key');
  }
  return ok(jwk);
}

const defaultAlg = (jwk: JWK): string =>
  jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'OKP' ? 'EdDSA' : jwk.crv === 'P-384' ? 'ES384' : 'ES256';
