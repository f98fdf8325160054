import type { Config } from '../config/config.js';
import { withRuntime } from './with-runtime.js';

/**
 * `gatehouse audit verify --project <id>`: recomputes the project's audit hash chain straight from
 * the database (no API key needed: whoever runs it already holds the database). Exit 0 when the
 * chain is intact, 1 when it is broken, with the first broken row.
 */
export async function auditVerifyCommand(config: Config, projectId: string): Promise<number> {
  return withRuntime(config, async (rt) => {
    const verdict = await rt.audit.verify(projectId);
    console.log(JSON.stringify(verdict, null, 2));
    if (!verdict.ok) {
      const b = verdict.firstBroken;
      console.error(
        `gatehouse: audit chain of ${projectId} is broken at seq ${b?.seq} (${b?.id}): ${b?.reason}`,
      );
      return 1;
    }
    return 0;
  });
}
