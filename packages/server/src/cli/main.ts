import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config/config.js';
import { preparePgdata } from '../store/pgdata.js';

// Commands are imported when run: `start` first sets its embedded data directory copying (a worker
// thread), then loads the server's modules (most of a cold start) while the copy runs.

const USAGE = `Usage: gatehouse <command>

Commands:
  start [--sandbox]              start the server (--sandbox also runs the local Acme sandbox provider)
  migrate                        apply database migrations and exit
  projects create <name>         create a project and print its first API key (shown once)
  keys rotate [--data-keys]      install a new master key and re-wrap every data key
                                 (--data-keys also gives every project a fresh data key)
  audit verify --project <id>    recompute a project's audit hash chain; exit 1 at the first broken row
  toolkits import-openapi <spec.json> --config <import.json> [--out <file>]  toolkit from OpenAPI 3.x

Configuration comes from GATEHOUSE_* environment variables (see README.md).`;

export async function main(argv: string[]): Promise<number> {
  // Offline and config-free: it only turns files into a file.
  if (argv[0] === 'toolkits') return (await import('./toolkits.js')).toolkitsCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      sandbox: { type: 'boolean', default: false },
      'data-keys': { type: 'boolean', default: false },
      project: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const loaded = loadConfig();
  if (!loaded.ok) {
    console.error(`gatehouse: invalid configuration:\n  ${loaded.errors.join('\n  ')}`);
    return 2;
  }
  const config: Config = loaded.config;
  switch (command) {
    case 'start': {
      const pgdata = config.databaseUrl ? undefined : preparePgdata(config.dataDir);
      const { startCommand } = await import('./start.js');
      return startCommand(config, { sandbox: values.sandbox, pgdata });
    }
    case 'migrate': {
      const { withRuntime } = await import('./with-runtime.js');
      return withRuntime(config, async () => {
        console.log('migrations are up to date');
        return 0;
      });
    }
    case 'projects': {
      if (sub !== 'create' || rest.length !== 1 || !rest[0]?.trim()) break;
      const { withRuntime } = await import('./with-runtime.js');
      return withRuntime(config, async (rt) => {
        const { createProject } = await import('../projects/create-project.js');
        const { project, secret } = await createProject(rt, rest[0]!.trim(), 'cli', { via: 'cli' });
        console.log(`project ${project.id} (${project.name})\nAPI key (shown once): ${secret}`);
        return 0;
      });
    }
    case 'audit':
      if (sub !== 'verify' || rest.length > 0 || !values.project) break;
      return (await import('./audit.js')).auditVerifyCommand(config, values.project);
    case 'keys':
      if (sub !== 'rotate' || rest.length > 0) break;
      return (await import('./keys.js')).keysRotateCommand(config, { dataKeys: values['data-keys'] });
  }
  console.error(`gatehouse: unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
  return 2;
}
