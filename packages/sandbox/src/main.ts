/**
 * Runs the sandbox standalone:
 *   node --import tsx packages/sandbox/src/main.ts --port 4200 \
 *     [--client-id my-app --client-secret s3cret --redirect-uri http://127.0.0.1:4100/callback]
 */
import { parseArgs } from 'node:util';
import { type SandboxClient, startSandbox } from './index.js';

const usage = `usage: main.ts [--port 4200] [--host 127.0.0.1] [--access-token-ttl 3600]
       [--client-id ID [--client-secret SECRET] [--client-auth client_secret_basic|client_secret_post|none]
        --redirect-uri URI ...] [--comma-scopes] [--omit-expires-in]`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4200' },
    host: { type: 'string', default: '127.0.0.1' },
    'access-token-ttl': { type: 'string', default: '3600' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'client-auth': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'comma-scopes': { type: 'boolean', default: false },
    'omit-expires-in': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a port number`);
const accessTokenTtlSeconds = Number(values['access-token-ttl']);
if (!Number.isInteger(accessTokenTtlSeconds) || accessTokenTtlSeconds < 1)
  fail('--access-token-ttl: seconds');

const clients: SandboxClient[] = [];
const clientId = values['client-id'];
if (clientId !== undefined) {
  const secret = values['client-secret'];
  const auth = values['client-auth'] ?? (secret === undefined ? 'none' : 'client_secret_basic');
  if (auth !== 'client_secret_basic' && auth !== 'client_secret_post' && auth !== 'none') {
    fail(`--client-auth ${auth} is not supported`);
  }
  if (values['redirect-uri'].length === 0) fail('--client-id needs at least one --redirect-uri');
  clients.push({
    clientId,
    ...(secret === undefined ? {} : { clientSecret: secret }),
    redirectUris: values['redirect-uri'],
    tokenEndpointAuthMethod: auth,
  });
}

const sandbox = await startSandbox({
  host: values.host,
  port,
  accessTokenTtlSeconds,
  clients,
  quirks: { scopeSeparator: values['comma-scopes'] ? ',' : ' ', omitExpiresIn: values['omit-expires-in'] },
});

console.log(`Gatehouse sandbox (Acme Tasks) listening on ${sandbox.url}
  issuer      ${sandbox.issuer}
  discovery   ${sandbox.issuer}/.well-known/openid-configuration
  tasks API   ${sandbox.apiBaseUrl}
  control     ${sandbox.url}/control  (faults, stats, user revocation)
users:`);
for (const user of sandbox.users) {
  console.log(`  ${user.username.padEnd(6)} / ${user.password.padEnd(11)} team ${user.team}`);
}
for (const client of clients) {
  console.log(
    `client ${client.clientId} (${client.tokenEndpointAuthMethod}) → ${client.redirectUris.join(', ')}`,
  );
}
if (clients.length === 0)
  console.log('no clients: pass --client-id/--redirect-uri, or use registerClient() from code');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
