import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { newId } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import { type Db, onCommitted, type Queryable } from '../store/db.js';
import type { Kms } from './kms.js';

/** Where a secret lives: it decrypts only in that project, table row and purpose. */
export interface SecretBinding {
  table: string;
  rowId: string;
  purpose: string;
}

interface DataKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';
// How long a replica trusts its cached "active data key" pointer after another replica rotated it.
const ACTIVE_KEY_TTL_MS = 60_000;

/**
 * Envelope encryption. Each project has one active data key (AES-256), wrapped by the KMS master key.
 * A secret is AES-256-GCM under that data key with additional authenticated data naming its project,
 * row, purpose and key, so a ciphertext copied to another row or tenant fails to decrypt.
 * Format: `v1.<dataKeyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class Vault {
  private readonly keysById = new Map<string, { projectId: string; key: Buffer }>();
  private readonly activeByProject = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly kms: Kms,
  ) {}

  async encrypt(projectId: string, binding: SecretBinding, plaintext: string): Promise<string> {
    const dataKey = await this.activeDataKey(projectId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.key, iv);
    cipher.setAAD(aad(projectId, binding, dataKey.id));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      dataKey.id,
      iv.toString('base64url'),
      ct.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  async decrypt(projectId: string, binding: SecretBinding, ciphertext: string): Promise<Result<string>> {
    const parts = ciphertext.split('.');
    const [version, dataKeyId, iv, ct, tag] = parts;
    if (parts.length !== 5 || version !== VERSION || !dataKeyId || !iv || ct === undefined || !tag) {
      return fail('secret_unreadable', 'ciphertext is malformed');
    }
    const dataKey = await this.dataKeyById(projectId, dataKeyId);
    if (!dataKey) return fail('secret_unreadable', 'ciphertext was not written for this project');
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(projectId, binding, dataKeyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return ok(
        Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8'),
      );
    } catch {
      return fail('secret_unreadable', 'ciphertext failed authentication (tampered or moved)');
    }
  }

  /** Retires the project's active data key and creates a new one; old ciphertexts keep decrypting. */
  async rotateDataKey(projectId: string): Promise<string> {
    const id = await this.db.transaction(async (tx) => {
      await tx.query('UPDATE data_keys SET retired_at = now() WHERE project_id = $1 AND retired_at IS NULL', [
        projectId,
      ]);
      return this.insertDataKey(tx, projectId);
    });
    this.activeByProject.delete(projectId);
    return id;
  }

  private async activeDataKey(projectId: string): Promise<DataKey> {
    const pointer = this.activeByProject.get(projectId);
    if (pointer && Date.now() - pointer.at < ACTIVE_KEY_TTL_MS) {
      const cached = this.keysById.get(pointer.id);
      if (cached) return { id: pointer.id, key: cached.key };
    }
    let row = await this.selectActive(this.db, projectId);
    if (!row) {
      await this.insertDataKey(this.db, projectId, true);
      row = await this.selectActive(this.db, projectId);
    }
    if (!row) throw new Error(`project ${projectId} has no data key`);
    const key = await this.unwrapRow(projectId, row);
    // Once committed: a key created inside an atomic change that rolls back must not stay the pointer
    // (later seals would name a key that was never stored).
    onCommitted(this.db, () => this.activeByProject.set(projectId, { id: row.id, at: Date.now() }));
    return { id: row.id, key };
  }

  private async dataKeyById(projectId: string, id: string): Promise<Buffer | undefined> {
    const cached = this.keysById.get(id);
    if (cached) return cached.projectId === projectId ? cached.key : undefined;
    const { rows } = await this.db.query<DataKeyRow>(
      'SELECT id, master_key_id, wrapped_key FROM data_keys WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rows[0] ? this.unwrapRow(projectId, rows[0]) : undefined;
  }

  private async unwrapRow(projectId: string, row: DataKeyRow): Promise<Buffer> {
    const key = await this.kms.unwrap(
      { masterKeyId: row.master_key_id, wrapped: row.wrapped_key },
      dataKeyContext(projectId, row.id),
    );
    this.keysById.set(row.id, { projectId, key });
    return key;
  }

  private async selectActive(q: Queryable, projectId: string): Promise<DataKeyRow | undefined> {
    const { rows } = await q.query<DataKeyRow>(
      'SELECT id, master_key_id, wrapped_key FROM data_keys WHERE project_id = $1 AND retired_at IS NULL',
      [projectId],
    );
    return rows[0];
  }

  // Two replicas may race to create a project's first key; the partial unique index keeps one.
  private async insertDataKey(q: Queryable, projectId: string, ignoreConflict = false): Promise<string> {
    const id = newId('dk');
    const wrapped = await this.kms.wrap(randomBytes(32), dataKeyContext(projectId, id));
    await q.query(
      `INSERT INTO data_keys (id, project_id, kms, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4, $5)
       ${ignoreConflict ? 'ON CONFLICT (project_id) WHERE retired_at IS NULL DO NOTHING' : ''}`,
      [id, projectId, this.kms.name, wrapped.masterKeyId, wrapped.wrapped],
    );
    return id;
  }
}

interface DataKeyRow extends Record<string, unknown> {
  id: string;
  master_key_id: string;
  wrapped_key: string;
}

export const dataKeyContext = (projectId: string, dataKeyId: string): string =>
  `gatehouse/data-key|${projectId}|${dataKeyId}`;

function aad(projectId: string, b: SecretBinding, dataKeyId: string): Buffer {
  return Buffer.from(`gatehouse/${VERSION}|${projectId}|${b.table}|${b.rowId}|${b.purpose}|${dataKeyId}`);
}
