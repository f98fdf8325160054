import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../shared/ids.js';
import { generateMasterKey } from '../vault/kms.js';
import type { Config } from './config.js';

export type MasterKeySource =
  | { ok: true; masterKey?: string; masterKeyFile?: string; generated: boolean }
  | { ok: false; error: string };

/**
 * Where the vault's master key comes from. Production must configure one; elsewhere a key is
 * generated once into the data dir so a newcomer's first start needs no setup.
 */
export function masterKeySource(config: Config): MasterKeySource {
  if (config.masterKey !== undefined) return { ok: true, masterKey: config.masterKey, generated: false };
  if (config.masterKeyFile !== undefined)
    return { ok: true, masterKeyFile: config.masterKeyFile, generated: false };
  if (config.production) {
    return {
      ok: false,
      error: 'NODE_ENV=production requires GATEHOUSE_MASTER_KEY or GATEHOUSE_MASTER_KEY_FILE',
    };
  }
  const file = devMasterKeyFile(config.dataDir);
  const generated = !existsSync(file);
  if (generated) writeSecretFile(file, `${generateMasterKey()}\n`);
  return { ok: true, masterKeyFile: file, generated };
}

export const devMasterKeyFile = (dataDir: string): string => join(dataDir, 'master.key');

/** The admin token: configured, or (outside production) generated once into the data dir. */
export function adminTokenFor(config: Config): string | undefined {
  if (config.adminToken !== undefined || config.production) return config.adminToken;
  const file = join(config.dataDir, 'admin-token');
  if (!existsSync(file)) writeSecretFile(file, `gth_admin_${randomToken(40)}\n`);
  return readFileSync(file, 'utf8').trim();
}

export function writeSecretFile(file: string, content: string): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: 0o600 });
}
