import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { newId } from '../shared/ids.js';
import type { Db } from '../store/db.js';
import type { Vault } from '../vault/vault.js';

export const ALG = 'ES256';

type Key = Awaited<ReturnType<typeof importJWK>>;

interface KeyRow extends Record<string, unknown> {
  id: string;
  public_jwk: JWK;
  private_key_ct: string;
}

const privateBinding = (id: string) => ({ table: 'mcp_signing_keys', rowId: id, purpose: 'private_key' });

/**
 * The key that signs a project's MCP access tokens: ES256, generated on first use, the private
 * half encrypted by the vault. One key per project (not per instance) keeps tenants apart: a token
 * minted for one project cannot verify in another even if both servers share a process.
 */
export class SigningKeys {
  private readonly signing = new Map<string, Promise<{ kid: string; key: Key }>>();
  private readonly verifying = new Map<string, Key>();

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
  ) {}

  /** The active signing key, created when the project has none (replicas racing keep one). */
  signingKey(projectId: string): Promise<{ kid: string; key: Key }> {
    let found = this.signing.get(projectId);
    if (!found) {
      found = this.loadOrCreate(projectId);
      this.signing.set(projectId, found);
      found.catch(() => this.signing.delete(projectId));
    }
    return found;
  }

  /** The public key named by a token's `kid`, only among this project's keys. */
  async verificationKey(projectId: string, kid: string): Promise<Key | undefined> {
    const cacheKey = `${projectId}|${kid}`;
    const cached = this.verifying.get(cacheKey);
    if (cached) return cached;
    const { rows } = await this.db.query<KeyRow>(
      'SELECT id, public_jwk, private_key_ct FROM mcp_signing_keys WHERE project_id = $1 AND id = $2',
      [projectId, kid],
    );
    if (!rows[0]) return undefined;
    const key = await importJWK(rows[0].public_jwk, ALG);
    this.verifying.set(cacheKey, key);
    return key;
  }

  private async loadOrCreate(projectId: string): Promise<{ kid: string; key: Key }> {
    let row = await this.active(projectId);
    if (!row) {
      const id = newId('mck');
      const pair = await generateKeyPair(ALG, { extractable: true });
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: id, alg: ALG, use: 'sig' };
      const privateJwk = JSON.stringify(await exportJWK(pair.privateKey));
      await this.db.query(
        `INSERT INTO mcp_signing_keys (id, project_id, public_jwk, private_key_ct) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id) WHERE retired_at IS NULL DO NOTHING`,
        [
          id,
          projectId,
          JSON.stringify(publicJwk),
          await this.vault.encrypt(projectId, privateBinding(id), privateJwk),
        ],
      );
      row = await this.active(projectId);
    }
    if (!row) throw new Error(`project ${projectId} has no MCP signing key`);
    const opened = await this.vault.decrypt(projectId, privateBinding(row.id), row.private_key_ct);
    if (!opened.ok) throw new Error(`MCP signing key ${row.id} cannot be decrypted: ${opened.error.message}`);
    return { kid: row.id, key: await importJWK(JSON.parse(opened.value) as JWK, ALG) };
  }

  private async active(projectId: string): Promise<KeyRow | undefined> {
    const { rows } = await this.db.query<KeyRow>(
      'SELECT id, public_jwk, private_key_ct FROM mcp_signing_keys WHERE project_id = $1 AND retired_at IS NULL',
      [projectId],
    );
    return rows[0];
  }
}
