import type { Config } from '../config/config.js';
import { ensureDevProject } from '../dev/dev-project.js';
import { type DevSandbox, startDevSandbox } from '../dev/dev-sandbox.js';
import { startServer } from '../server.js';

export async function startCommand(config: Config, options: { sandbox: boolean }): Promise<number> {
  // The sandbox's toolkit (acme) is in the catalog only where the sandbox runs, never in production.
  const sandboxToolkits = config.sandboxToolkits || (options.sandbox && !config.production);
  const started = await startServer({ ...config, sandboxToolkits });
  if (!started.ok) {
    console.error(`gatehouse: ${started.error}`);
    return 1;
  }
  const { server } = started;
  const rt = server.runtime;
  const url = config.publicUrl;
  const lines = [
    '',
    `  Gatehouse is running on ${url}  (database: ${rt.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    `    health ${url}/healthz   ready ${url}/readyz   metrics ${url}/metrics`,
  ];
  let sandbox: DevSandbox | undefined;
  if (!config.production) {
    const dev = await ensureDevProject(rt);
    lines.push(
      `    dev project ${dev.projectId}`,
      `    dev API key ${dev.apiKey}`,
      `    admin token ${rt.adminToken ?? '(admin API disabled)'}`,
    );
    if (options.sandbox) {
      sandbox = await startDevSandbox(rt, dev.projectId);
      lines.push(
        '',
        `  Sandbox provider "Acme Tasks" on ${sandbox.url}  (auth config ${sandbox.authConfigId})`,
        `    users: ${sandbox.users.map((u) => `${u.username} / ${u.password}`).join(', ')}`,
        '',
        '  Connect a user, then open the returned redirectUrl in a browser:',
        `    curl -s -X POST ${url}/v1/connect/links -H "Authorization: Bearer ${dev.apiKey}" \\`,
        `      -H 'content-type: application/json' -d '{"userId":"alice","authConfigId":"${sandbox.authConfigId}"}'`,
      );
    }
  } else if (options.sandbox) {
    lines.push('    sandbox provider: not started (NODE_ENV=production)');
  }
  console.log(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      rt.log.info({ signal }, 'shutting down');
      Promise.allSettled([sandbox?.close(), server.close()]).finally(() => resolve());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
