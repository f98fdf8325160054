import type { Config } from '../config/config.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type { Kms } from '../vault/kms.js';

/** Opens a runtime (migrating the database), runs a one-shot command, closes it. */
export async function withRuntime(
  config: Config,
  fn: (rt: Runtime) => Promise<number>,
  options: { kms?: Kms } = {},
): Promise<number> {
  const created = await createRuntime(config, options.kms ? { kms: options.kms } : {});
  if (!created.ok) {
    console.error(`gatehouse: ${created.error}`);
    return 1;
  }
  try {
    return await fn(created.runtime);
  } finally {
    await created.runtime.close();
  }
}
