import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { type IdPrefix, newId } from '../shared/ids.js';
import type { Db } from '../store/db.js';
import type { Vault } from '../vault/vault.js';

export const ALG = 'ES256';

type Key = Awaited<ReturnType<typeof importJWK>>;

interface KeyRow extends Record<string, unknown> {
  id: string;
  public_jwk: JWK;
  private_key_ct: string;
}

/** Where a family of keys lives: MCP access tokens and link assertions, or exchanged delegation tokens. */
export interface KeyTable {
  table: 'mcp_signing_keys' | 'delegation_signing_keys';
  prefix: IdPrefix;
}
export const MCP_KEYS: KeyTable = { table: 'mcp_signing_keys', prefix: 'mck' };

// A replica re-reads the active key this often, so a rotation made elsewhere reaches it.
const ACTIVE_KEY_CACHE_MS = 60_000;

/**
 * The keys that sign a project's tokens: ES256, generated on first use, the private half encrypted
 * by the vault (bound to its table and row). One active key per project (not per instance) keeps
 * tenants apart: a token minted for one project cannot verify in another. `rotate` retires the
 * active key; retired keys still verify (and are published) until the tokens they signed expire.
 */
export class SigningKeys {
  private readonly signing = new Map<string, { at: number; key: Promise<{ kid: string; key: Key }> }>();
  private readonly verifying = new Map<string, Key>();

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly keys: KeyTable = MCP_KEYS,
  ) {}

  /** The active signing key, created when the project has none (replicas racing keep one). */
  signingKey(projectId: string): Promise<{ kid: string; key: Key }> {
    const found = this.signing.get(projectId);
    if (found && Date.now() - found.at < ACTIVE_KEY_CACHE_MS) return found.key;
    const key = this.loadOrCreate(projectId);
    this.signing.set(projectId, { at: Date.now(), key });
    key.catch(() => this.signing.delete(projectId));
    return key;
  }

  /** The public key named by a token's `kid`, only among this project's keys. */
  async verificationKey(projectId: string, kid: string): Promise<Key | undefined> {
    const cacheKey = `${projectId}|${kid}`;
    const cached = this.verifying.get(cacheKey);
    if (cached) return cached;
    const { rows } = await this.db.query<KeyRow>(
      `SELECT id, public_jwk, private_key_ct FROM ${this.keys.table} WHERE project_id = $1 AND id = $2`,
      [projectId, kid],
    );
    if (!rows[0]) return undefined;
    const key = await importJWK(rows[0].public_jwk, ALG);
    this.verifying.set(cacheKey, key);
    return key;
  }

  /** The public keys to publish (RFC 7517 JWK Set): the active one and those retired within `graceSeconds`. */
  async publicKeys(projectId: string, graceSeconds: number): Promise<JWK[]> {
    await this.signingKey(projectId);
    const { rows } = await this.db.query<KeyRow>(
      `SELECT id, public_jwk, private_key_ct FROM ${this.keys.table}
        WHERE project_id = $1 AND (retired_at IS NULL OR retired_at > now() - make_interval(secs => $2))
        ORDER BY id DESC`,
      [projectId, graceSeconds],
    );
    return rows.map((r) => r.public_jwk);
  }

  /**
   * Retires the active key; the next signature makes a new one. Tokens signed by the old key keep
   * verifying until they expire (their kid still finds it). Other replicas switch within a minute.
   */
  async rotate(projectId: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.keys.table} SET retired_at = now() WHERE project_id = $1 AND retired_at IS NULL`,
      [projectId],
    );
    this.signing.delete(projectId);
  }

  private async loadOrCreate(projectId: string): Promise<{ kid: string; key: Key }> {
    let row = await this.active(projectId);
    if (!row) {
      const id = newId(this.keys.prefix);
      const pair = await generateKeyPair(ALG, { extractable: true });
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: id, alg: ALG, use: 'sig' };
      const privateJwk = JSON.stringify(await exportJWK(pair.privateKey));
      await this.db.query(
        `INSERT INTO ${this.keys.table} (id, project_id, public_jwk, private_key_ct) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id) WHERE retired_at IS NULL DO NOTHING`,
        [
          id,
          projectId,
          JSON.stringify(publicJwk),
          await this.vault.encrypt(projectId, this.binding(id), privateJwk),
        ],
      );
      row = await this.active(projectId);
    }
    if (!row) throw new Error(`project ${projectId} has no signing key in ${this.keys.table}`);
    const opened = await this.vault.decrypt(projectId, this.binding(row.id), row.private_key_ct);
    if (!opened.ok) throw new Error(`signing key ${row.id} cannot be decrypted: ${opened.error.message}`);
    return { kid: row.id, key: await importJWK(JSON.parse(opened.value) as JWK, ALG) };
  }

  private binding(id: string) {
    return { table: this.keys.table, rowId: id, purpose: 'private_key' };
  }

  private async active(projectId: string): Promise<KeyRow | undefined> {
    const { rows } = await this.db.query<KeyRow>(
      `SELECT id, public_jwk, private_key_ct FROM ${this.keys.table} WHERE project_id = $1 AND retired_at IS NULL`,
      [projectId],
    );
    return rows[0];
  }
}
