import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../src/projects/projects.js';
import { generateMasterKey, LocalKms, parseMasterKey } from '../src/vault/kms.js';
import { rewrapDataKeys } from '../src/vault/rotate.js';
import { type SecretBinding, Vault } from '../src/vault/vault.js';
import { describeEachDatabase } from './support/databases.js';

const kmsOf = (...keys: string[]) => {
  const r = LocalKms.fromSources({ masterKey: keys.join(',') });
  if (!r.ok) throw new Error(r.error);
  return r.kms;
};

const tokenRow: SecretBinding = { table: 'connected_accounts', rowId: 'ca_1', purpose: 'credentials' };
// One master key for the file: the rotation test re-wraps every data key in the shared database.
const FILE_KEY = generateMasterKey();
const secret = `{"access_token":"${randomBytes(1024).toString('hex')}"}`;

describeEachDatabase('vault', (t) => {
  it('round-trips a secret and never stores it in plaintext', async () => {
    const project = await new ProjectStore(t.db(), true).create('a');
    const vault = new Vault(t.db(), kmsOf(FILE_KEY));
    const ct = await vault.encrypt(project.id, tokenRow, secret);
    expect(ct).not.toContain('access_token');
    expect(ct).toMatch(/^v1\.dk_[0-9a-z]+\./);
    expect(await vault.decrypt(project.id, tokenRow, ct)).toEqual({ ok: true, value: secret });
    const dump = JSON.stringify((await t.db().query('SELECT * FROM data_keys')).rows);
    expect(dump).not.toContain(secret.slice(20, 60));
  });

  it('detects tampering with any part of the ciphertext', async () => {
    const project = await new ProjectStore(t.db(), true).create('a');
    const vault = new Vault(t.db(), kmsOf(FILE_KEY));
    const ct = await vault.encrypt(project.id, tokenRow, secret);
    const parts = ct.split('.');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const tampered = [...parts];
      tampered[i] = bytes.toString('base64url');
      const res = await vault.decrypt(project.id, tokenRow, tampered.join('.'));
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('secret_unreadable');
    }
    expect((await vault.decrypt(project.id, tokenRow, 'not-a-ciphertext')).ok).toBe(false);
  });

  it('refuses a ciphertext copied into another row, purpose or project', async () => {
    const projects = new ProjectStore(t.db(), true);
    const a = await projects.create('a');
    const b = await projects.create('b');
    const vault = new Vault(t.db(), kmsOf(FILE_KEY));
    const ct = await vault.encrypt(a.id, tokenRow, secret);
    expect((await vault.decrypt(a.id, { ...tokenRow, rowId: 'ca_2' }, ct)).ok).toBe(false);
    expect((await vault.decrypt(a.id, { ...tokenRow, purpose: 'client_secret' }, ct)).ok).toBe(false);
    expect((await vault.decrypt(b.id, tokenRow, ct)).ok).toBe(false);
    // Even a fresh vault instance (no cached keys) refuses the cross-project read.
    expect((await new Vault(t.db(), kmsOf(FILE_KEY)).decrypt(b.id, tokenRow, ct)).ok).toBe(false);
  });

  it('keeps old data readable across a master-key rotation, and the old key can then be dropped', async () => {
    const oldKey = FILE_KEY;
    const newKey = generateMasterKey();
    const project = await new ProjectStore(t.db(), true).create('rotating');
    const before = new Vault(t.db(), kmsOf(oldKey));
    const ct = await before.encrypt(project.id, tokenRow, secret);

    const both = kmsOf(newKey, oldKey);
    const { rewrapped } = await rewrapDataKeys(t.db(), both);
    expect(rewrapped).toBeGreaterThanOrEqual(1);
    const { rows } = await t
      .db()
      .query<{ master_key_id: string }>('SELECT master_key_id FROM data_keys WHERE project_id = $1', [
        project.id,
      ]);
    expect(rows.map((r) => r.master_key_id)).toEqual([both.activeMasterKeyId()]);
    const all = await t.db().query<{ master_key_id: string }>('SELECT DISTINCT master_key_id FROM data_keys');
    expect(all.rows).toEqual([{ master_key_id: both.activeMasterKeyId() }]);

    // A replica holding only the new key reads data written under the old one.
    const onlyNew = new Vault(t.db(), kmsOf(newKey));
    expect(await onlyNew.decrypt(project.id, tokenRow, ct)).toEqual({ ok: true, value: secret });
    // A vault that still has only the old key cannot unwrap the re-wrapped data key.
    await expect(new Vault(t.db(), kmsOf(oldKey)).decrypt(project.id, tokenRow, ct)).rejects.toThrow(
      /not in the keyring/,
    );
  });

  it('rotates a project data key; ciphertexts under the retired key still decrypt', async () => {
    const project = await new ProjectStore(t.db(), true).create('dk');
    const vault = new Vault(t.db(), kmsOf(FILE_KEY));
    const first = await vault.encrypt(project.id, tokenRow, 'one');
    const newId = await vault.rotateDataKey(project.id);
    const second = await vault.encrypt(project.id, tokenRow, 'two');
    expect(second.split('.')[1]).toBe(newId);
    expect(first.split('.')[1]).not.toBe(newId);
    expect(await vault.decrypt(project.id, tokenRow, first)).toEqual({ ok: true, value: 'one' });
    expect(await vault.decrypt(project.id, tokenRow, second)).toEqual({ ok: true, value: 'two' });
  });

  it('creates exactly one active data key when many writers race on a new project', async () => {
    const project = await new ProjectStore(t.db(), true).create('race');
    const vaults = Array.from({ length: 6 }, () => new Vault(t.db(), kmsOf(FILE_KEY)));
    const cts = await Promise.all(vaults.map((v, i) => v.encrypt(project.id, tokenRow, `s${i}`)));
    const { rows } = await t
      .db()
      .query('SELECT id FROM data_keys WHERE project_id = $1 AND retired_at IS NULL', [project.id]);
    expect(rows).toHaveLength(1);
    expect(new Set(cts.map((c) => c.split('.')[1]))).toEqual(new Set([rows[0]!.id]));
  });
});

describe('master keys', () => {
  it('accepts only base64 of exactly 32 bytes', () => {
    expect(parseMasterKey(generateMasterKey())).toBeInstanceOf(Buffer);
    expect(parseMasterKey(randomBytes(16).toString('base64'))).toBeUndefined();
    expect(parseMasterKey('not base64 at all!')).toBeUndefined();
    const bad = LocalKms.fromSources({ masterKey: `${generateMasterKey()},short` });
    expect(bad).toEqual({ ok: false, error: 'master key #2 is not base64 of exactly 32 bytes' });
  });
});
