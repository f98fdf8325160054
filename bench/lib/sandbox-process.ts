/**
 * The sandbox in its own process for benchmarks: one confidential client with the redirect URIs
 * given as arguments, and a long access-token lifetime so no refresh happens mid-run.
 * Prints `SANDBOX <url>` when ready.
 */
import { startSandbox } from '@gatehouse/sandbox';

const [clientId, clientSecret, ...redirectUris] = process.argv.slice(2);
if (!clientId || !clientSecret || redirectUris.length === 0) {
  console.error('usage: sandbox-process.ts <client-id> <client-secret> <redirect-uri>...');
  process.exit(2);
}
const sandbox = await startSandbox({
  accessTokenTtlSeconds: 6 * 3600,
  clients: [{ clientId, clientSecret, redirectUris, tokenEndpointAuthMethod: 'client_secret_basic' }],
});
console.log(`SANDBOX ${sandbox.url}`);
process.on('SIGTERM', () => sandbox.close().finally(() => process.exit(0)));
