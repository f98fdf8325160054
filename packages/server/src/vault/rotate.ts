import type { Db } from '../store/db.js';
import type { Kms } from './kms.js';
import { dataKeyContext } from './vault.js';

/**
 * Re-wraps every data key not yet under the KMS's active master key. Runs in one transaction so a
 * failure leaves every key as it was; replicas keep decrypting throughout because the keyring they
 * hold (or re-read from the key file) contains both the old and the new master key.
 */
export async function rewrapDataKeys(db: Db, kms: Kms): Promise<{ rewrapped: number; total: number }> {
  const active = kms.activeMasterKeyId();
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      project_id: string;
      master_key_id: string;
      wrapped_key: string;
    }>('SELECT id, project_id, master_key_id, wrapped_key FROM data_keys ORDER BY id FOR UPDATE');
    let rewrapped = 0;
    for (const row of rows) {
      if (row.master_key_id === active) continue;
      const context = dataKeyContext(row.project_id, row.id);
      const key = await kms
        .unwrap({ masterKeyId: row.master_key_id, wrapped: row.wrapped_key }, context)
        .catch((err: Error) => {
          throw new Error(
            `cannot unwrap data key ${row.id} of project ${row.project_id}: ${err.message}; nothing was changed`,
          );
        });
      const wrapped = await kms.wrap(key, context);
      await tx.query('UPDATE data_keys SET master_key_id = $2, wrapped_key = $3 WHERE id = $1', [
        row.id,
        wrapped.masterKeyId,
        wrapped.wrapped,
      ]);
      rewrapped++;
    }
    return { rewrapped, total: rows.length };
  });
}
