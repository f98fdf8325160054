import type { Config } from '../config/config.js';
import { ensureDevProject } from '../dev/dev-project.js';
import { type DevSandbox, startDevSandbox } from '../dev/dev-sandbox.js';
import { startServer } from '../server.js';
import { Readiness } from '../shared/readiness.js';
import type { PreparedPgdata } from '../store/pgdata.js';

export async function startCommand(
  config: Config,
  options: { sandbox: boolean; pgdata?: PreparedPgdata | undefined },
): Promise<number> {
  // Ready only once the quickstart's project and sandbox exist: a script waiting on /readyz can use them.
  const readiness = new Readiness();
  const startupDone = config.production
    ? () => {}
    : readiness.hold(options.sandbox ? 'development project, sandbox provider' : 'development project');
  // The sandbox's toolkit (acme) is in the catalog only where the sandbox runs, never in production.
  const sandboxToolkits = config.sandboxToolkits || (options.sandbox && !config.production);
  // Loading the sandbox (oidc-provider) overlaps the database's start-up instead of following it;
  // startDevSandbox's own import then finds it loaded (and reports a failure, if any).
  if (options.sandbox && !config.production) import('@gatehouse/sandbox').catch(() => {});
  const started = await startServer(
    { ...config, sandboxToolkits },
    options.pgdata ? { readiness, pgdata: options.pgdata } : { readiness },
  );
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
      `    dev API key ${dev.apiKey}  (role admin; give an agent a runtime key: POST /v1/api-keys {"role":"runtime"})`,
      // Only a token Gatehouse generated is printed; an operator's own stays out of terminals and logs.
      `    admin token ${config.adminToken !== undefined ? '(set by GATEHOUSE_ADMIN_TOKEN)' : (rt.adminToken ?? '(admin API disabled)')}`,
    );
    // The README's commands use these variables: one line to paste into another terminal.
    let exports = `export GATEHOUSE=${url} KEY=${dev.apiKey}`;
    if (options.sandbox) {
      sandbox = await startDevSandbox(rt, dev.projectId);
      exports += ` AUTH_CONFIG=${sandbox.authConfigId}`;
      lines.push(
        '',
        `  Sandbox provider "Acme Tasks" on ${sandbox.url}  (auth config ${sandbox.authConfigId})`,
        `    users: ${sandbox.users.map((u) => `${u.username} / ${u.password}`).join(', ')}`,
      );
    }
    lines.push('', '  In another terminal (the README quickstart goes on from here):', `    ${exports}`);
    if (sandbox)
      lines.push(
        '  Connect a user, then open the returned redirectUrl in a browser:',
        `    curl -s -X POST "$GATEHOUSE/v1/connect/links" -H "Authorization: Bearer $KEY" \\`,
        `      -H 'content-type: application/json' -d "{\\"userId\\":\\"alice\\",\\"authConfigId\\":\\"$AUTH_CONFIG\\"}"`,
      );
  } else if (options.sandbox) {
    lines.push('    sandbox provider: not started (NODE_ENV=production)');
  }
  console.log(`${lines.join('\n')}\n`);
  startupDone();

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
