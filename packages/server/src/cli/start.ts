import type { Config } from '../config/config.js';
import { ensureDevProject } from '../config/dev-project.js';
import { startServer } from '../server.js';

export async function startCommand(config: Config, options: { sandbox: boolean }): Promise<number> {
  const started = await startServer(config);
  if (!started.ok) {
    console.error(`gatehouse: ${started.error}`);
    return 1;
  }
  const { server } = started;
  const rt = server.runtime;
  const lines = [
    '',
    `  Gatehouse is running on ${config.publicUrl}  (database: ${rt.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    `    health   ${config.publicUrl}/healthz   ready ${config.publicUrl}/readyz   metrics ${config.publicUrl}/metrics`,
  ];
  if (!config.production) {
    const dev = await ensureDevProject(rt);
    lines.push(
      `    dev project ${dev.projectId}`,
      `    dev API key ${dev.apiKey}`,
      `    admin token ${rt.adminToken ?? '(admin API disabled)'}`,
      `  Try: curl -H "Authorization: Bearer ${dev.apiKey}" ${config.publicUrl}/v1/api-keys`,
    );
  }
  if (options.sandbox) lines.push('    sandbox provider: not started (not available yet)');
  console.log(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      rt.log.info({ signal }, 'shutting down');
      server.close().finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
