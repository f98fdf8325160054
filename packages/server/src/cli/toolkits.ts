import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ImportConfig, importOpenApi } from '@gatehouse/catalog';

const USAGE = `Usage: gatehouse toolkits import-openapi <spec.json> --config <import.json> [--out <file>]

Turns the operations an import config selects into a toolkit (see packages/catalog/README.md).
Prints the toolkit JSON, or writes it to --out. Notes about left-out parameters go to stderr.`;

/** `gatehouse toolkits …`: exit code 0 on success, 2 on bad input (usage, unreadable files, import issues). */
export async function toolkitsCommand(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (cause) {
    return usageError((cause as Error).message);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [sub, specFile, ...rest] = args.positionals;
  const configFile = args.values.config;
  if (sub !== 'import-openapi') return usageError(`unknown command "toolkits ${args.positionals.join(' ')}"`);
  if (specFile === undefined || rest.length > 0) return usageError('give exactly one OpenAPI document');
  if (configFile === undefined) return usageError('--config <import.json> is required');

  const spec = readJsonObject(specFile, 'OpenAPI document (JSON; convert YAML first)');
  const config = readJsonObject(configFile, 'import config');
  if (!spec.ok || !config.ok) {
    for (const r of [spec, config]) if (!r.ok) console.error(`gatehouse: ${r.error}`);
    return 2;
  }
  const imported = importOpenApi(spec.value, config.value as ImportConfig, {
    warn: (message) => console.error(`note: ${message}`),
  });
  if (!imported.ok) {
    const issues = imported.error.issues.map((i) => `${i.path}: ${i.message}`);
    console.error(`gatehouse: cannot import ${specFile}:\n  ${issues.join('\n  ')}`);
    return 2;
  }
  const text = `${JSON.stringify(imported.value, null, 2)}\n`;
  if (args.values.out === undefined) {
    process.stdout.write(text);
  } else {
    writeFileSync(args.values.out, text);
    console.error(`wrote ${args.values.out} (${imported.value.tools.length} tools)`);
  }
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function readJsonObject(
  file: string,
  what: string,
): { ok: true; value: object } | { ok: false; error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    return { ok: false, error: `cannot read ${what} ${file}: ${(cause as Error).message}` };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value };
  } catch {
    // reported below
  }
  return { ok: false, error: `${file} is not a JSON object (expected the ${what})` };
}

function usageError(message: string): number {
  console.error(`gatehouse: ${message}\n\n${USAGE}`);
  return 2;
}
