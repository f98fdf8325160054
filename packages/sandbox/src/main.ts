/**
 * Runs the sandbox standalone:
 *   node --import tsx packages/sandbox/src/main.ts [--port 4200] [--host 127.0.0.1]
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4200' },
    host: { type: 'string', default: '127.0.0.1' },
    'access-token-ttl': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}
const ttl = values['access-token-ttl'];

const sandbox = await startSandbox({
  host: values.host,
  port,
  ...(ttl === undefined ? {} : { accessTokenTtlSeconds: Number(ttl) }),
});

console.log(`Gatehouse sandbox (Acme Tasks) listening on ${sandbox.url}
  issuer      ${sandbox.issuer}
  discovery   ${sandbox.issuer}/.well-known/openid-configuration
  tasks API   ${sandbox.apiBaseUrl}
  control     ${sandbox.url}/control  (faults, stats, revoke)
users:`);
for (const user of sandbox.users) {
  console.log(`  ${user.username.padEnd(6)} / ${user.password.padEnd(11)} team ${user.team}`);
}
console.log('Register clients with startSandbox({ clients }) or sandbox.registerClient() from code.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
