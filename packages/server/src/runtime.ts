import type { Config } from './config/config.js';
import { adminTokenFor, masterKeySource } from './config/dev-secrets.js';
import { ApiKeyStore } from './projects/api-keys.js';
import { ProjectStore } from './projects/projects.js';
import { type Db, openDatabase } from './store/db.js';
import { migrate } from './store/migrate.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { Metrics } from './telemetry/metrics.js';
import { type Kms, LocalKms } from './vault/kms.js';
import { Vault } from './vault/vault.js';

/** Every long-lived service of one Gatehouse process, wired once and passed down explicitly. */
export interface Runtime {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: Db;
  kms: Kms;
  vault: Vault;
  projects: ProjectStore;
  apiKeys: ApiKeyStore;
  adminToken: string | undefined;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log?: Logger;
  /** Use an already open database (tests share one PGlite per file). */
  db?: Db;
  kms?: Kms;
  metrics?: Metrics;
}

export type RuntimeResult = { ok: true; runtime: Runtime } | { ok: false; error: string };

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<RuntimeResult> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  let kms = options.kms;
  if (!kms) {
    const source = masterKeySource(config);
    if (!source.ok) return { ok: false, error: source.error };
    const keyring = LocalKms.fromSources(source);
    if (!keyring.ok) return { ok: false, error: keyring.error };
    kms = keyring.kms;
    if (source.masterKeyFile !== undefined && config.masterKeyFile === undefined) {
      log.warn(
        { file: source.masterKeyFile, generated: source.generated },
        'DEVELOPMENT MASTER KEY IN USE: the vault key lives in the data dir next to the data it protects. ' +
          'Set GATEHOUSE_MASTER_KEY or GATEHOUSE_MASTER_KEY_FILE for anything but local development.',
      );
    }
  }
  let db: Db;
  try {
    db = options.db ?? (await openDatabase(config));
  } catch (err) {
    return { ok: false, error: `cannot open the database: ${(err as Error).message}` };
  }
  try {
    const { applied } = await migrate(db);
    if (applied.length > 0) log.info({ applied }, 'database migrations applied');
  } catch (err) {
    if (!options.db) await db.close().catch(() => {});
    return { ok: false, error: `cannot migrate the database: ${(err as Error).message}` };
  }
  const runtime: Runtime = {
    config,
    log,
    metrics: options.metrics ?? new Metrics(),
    db,
    kms,
    vault: new Vault(db, kms),
    projects: new ProjectStore(db),
    apiKeys: new ApiKeyStore(db),
    adminToken: adminTokenFor(config),
    close: async () => {
      if (!options.db) await db.close();
    },
  };
  return { ok: true, runtime };
}
