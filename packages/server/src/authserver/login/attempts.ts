import { newId, randomToken } from '../../shared/ids.js';
import type { Db } from '../../store/db.js';
import { sha256Hex } from '../grants.js';

export const ATTEMPT_TTL_MS = 10 * 60_000;

export interface LoginAttempt {
  id: string;
  continueTo: string;
  nonce: string | null;
  codeVerifierCt: string | null;
}

/**
 * A sign-in in progress. Its `state` is the one value that comes back from the identity provider
 * (OIDC `state`, the hand-off's `nonce`, the dev form's token); it is spent once, only by the
 * browser that started the attempt, so a response cannot be replayed or planted in another browser.
 */
export class LoginAttempts {
  constructor(private readonly db: Db) {}

  async create(
    projectId: string,
    serverId: string,
    a: {
      browserHash: string;
      continueTo: string;
      nonce?: string;
      codeVerifierCt?: (id: string) => Promise<string>;
    },
  ): Promise<{ id: string; state: string }> {
    const id = newId('mca');
    const state = randomToken(43);
    await this.db.query(
      `INSERT INTO mcp_login_attempts (id, project_id, server_id, browser_hash, state_hash, nonce, code_verifier_ct,
         continue_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        projectId,
        serverId,
        a.browserHash,
        sha256Hex(state),
        a.nonce ?? null,
        a.codeVerifierCt ? await a.codeVerifierCt(id) : null,
        a.continueTo,
        new Date(Date.now() + ATTEMPT_TTL_MS),
      ],
    );
    return { id, state };
  }

  /** Spends the attempt named by `state`, if it belongs to this browser and is still fresh. */
  async consume(
    projectId: string,
    serverId: string,
    state: string,
    browserHash: string,
  ): Promise<LoginAttempt | undefined> {
    const { rows } = await this.db.query<{
      id: string;
      continue_to: string;
      nonce: string | null;
      code_verifier_ct: string | null;
    }>(
      `UPDATE mcp_login_attempts SET used_at = now()
       WHERE project_id = $1 AND server_id = $2 AND state_hash = $3 AND browser_hash = $4
         AND used_at IS NULL AND expires_at > now()
       RETURNING id, continue_to, nonce, code_verifier_ct`,
      [projectId, serverId, sha256Hex(state), browserHash],
    );
    const r = rows[0];
    return r
      ? { id: r.id, continueTo: r.continue_to, nonce: r.nonce, codeVerifierCt: r.code_verifier_ct }
      : undefined;
  }
}
