import { readFileSync, renameSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { devMasterKeyFile, masterKeySource, writeSecretFile } from '../config/dev-secrets.js';
import { generateMasterKey, LocalKms, parseKeyring } from '../vault/kms.js';
import { rewrapDataKeys } from '../vault/rotate.js';
import { withRuntime } from './with-runtime.js';

/**
 * Master-key rotation.
 * - Key file (GATEHOUSE_MASTER_KEY_FILE or the dev key): a new key is generated and put first in the
 *   file, the old keys stay below it; running replicas re-read the file when they meet the new key id.
 * - GATEHOUSE_MASTER_KEY: the operator puts the new key first in the comma-separated list on every
 *   replica (old keys after it), then runs this to re-wrap; old keys can be dropped afterwards.
 */
export async function keysRotateCommand(config: Config, options: { dataKeys: boolean }): Promise<number> {
  const source = masterKeySource(config);
  if (!source.ok) {
    console.error(`gatehouse: ${source.error}`);
    return 1;
  }
  let kms: LocalKms;
  if (source.masterKeyFile !== undefined) {
    const file = source.masterKeyFile;
    const current = parseKeyring(readFileSync(file, 'utf8'));
    if (!current.ok) {
      console.error(`gatehouse: ${file}: ${current.error}`);
      return 1;
    }
    const next = [generateMasterKey(), ...current.keys.map((k) => k.toString('base64'))];
    // Write-then-rename so a reader never sees a half-written keyring.
    writeSecretFile(`${file}.next`, `${next.join('\n')}\n`);
    renameSync(`${file}.next`, file);
    const loaded = LocalKms.fromSources({ masterKeyFile: file });
    if (!loaded.ok) throw new Error(loaded.error);
    kms = loaded.kms;
    console.log(
      `installed new master key ${kms.activeMasterKeyId()} in ${file === devMasterKeyFile(config.dataDir) ? 'the dev key file' : file}`,
    );
  } else {
    const loaded = LocalKms.fromSources({ masterKey: source.masterKey });
    if (!loaded.ok) {
      console.error(`gatehouse: GATEHOUSE_MASTER_KEY: ${loaded.error}`);
      return 1;
    }
    kms = loaded.kms;
    console.log(`active master key is ${kms.activeMasterKeyId()} (first in GATEHOUSE_MASTER_KEY)`);
  }
  return withRuntime(
    config,
    async (rt) => {
      const { rewrapped, total } = await rewrapDataKeys(rt.db, kms);
      console.log(`re-wrapped ${rewrapped} of ${total} data keys under ${kms.activeMasterKeyId()}`);
      if (options.dataKeys) {
        const { rows } = await rt.db.query<{ id: string }>('SELECT id FROM projects ORDER BY id');
        for (const row of rows) await rt.vault.rotateDataKey(row.id);
        console.log(
          `issued a new data key for ${rows.length} projects; existing secrets keep their old keys`,
        );
      }
      return 0;
    },
    { kms },
  );
}
