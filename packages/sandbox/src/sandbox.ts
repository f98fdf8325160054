import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAuthorizationServer,
  type MintedGrant,
  type MintGrantInput,
  type SandboxClient,
  type SandboxQuirks,
} from './authorization-server/index.js';
import { controlRoutes } from './faults/control-routes.js';
import { type Fault, FaultRegistry, type FaultSpec } from './faults/registry.js';
import { dispatcher, type Handler } from './http/dispatch.js';
import { sendError } from './http/io.js';
import { createHelpdeskApi } from './static-auth-apis/helpdesk-api.js';
import { createPaymentsApi } from './static-auth-apis/payments-api.js';
import { createStats, IssuedTokens, type IssuedTokenValues, type SandboxStats } from './stats.js';
import { createTasksApi } from './tasks-api/index.js';
import { type SandboxUser, seededUsers, UserDirectory } from './users.js';

export interface SandboxOptions {
  /** default `127.0.0.1` */
  host?: string;
  /** default 0: a random free port */
  port?: number;
  /** clients registered at start; more with `registerClient` */
  clients?: SandboxClient[];
  /** default 3600 */
  accessTokenTtlSeconds?: number;
  /** default 30 days */
  refreshTokenTtlSeconds?: number;
  /** a rotated-out refresh token keeps working this long; default 0 (reuse revokes the grant at once) */
  refreshTokenReuseWindowSeconds?: number;
  /** behave like a less standard provider */
  quirks?: SandboxQuirks;
}

export interface SandboxFaults {
  /** @throws InvalidFaultSpec when the spec does not validate */
  add(spec: FaultSpec): Fault;
  remove(id: string): boolean;
  clear(): void;
  list(): Fault[];
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** `${url}/oauth`; discovery at `${issuer}/.well-known/openid-configuration` */
  readonly issuer: string;
  /** `${url}/api`, also the API's resource indicator (the default `resource`) */
  readonly apiBaseUrl: string;
  /** a second resource indicator (RFC 8707) whose tokens the Tasks API refuses: for audience tests */
  readonly otherResourceUrl: string;
  /** `${url}/payments`: "Acme Payments", a Stripe-shaped API taking a secret API key */
  readonly paymentsBaseUrl: string;
  /** user id → that user's Acme Payments secret key (minted at start) */
  readonly apiKeys: Readonly<Record<string, string>>;
  /** `${url}/helpdesk`: "Acme Helpdesk", a ticketing API behind HTTP Basic with the users' passwords */
  readonly helpdeskBaseUrl: string;
  readonly users: readonly SandboxUser[];
  /** @throws when oidc-provider rejects the client metadata */
  registerClient(client: SandboxClient): Promise<void>;
  readonly faults: SandboxFaults;
  /**
   * Test hook: a real grant with a refresh and an access token, made by oidc-provider's own models
   * (no browser flow), for tests that need thousands of connected accounts.
   */
  mintGrant(input: MintGrantInput): Promise<MintedGrant>;
  /** revokes every grant of the user: all their codes, access and refresh tokens stop working */
  revokeUser(userId: string): { revokedGrants: number };
  stats(): SandboxStats;
  /** every access and refresh token value this instance issued */
  issuedTokens(): IssuedTokenValues;
  /** ends all sockets, hung `timeout` faults included */
  close(): Promise<void>;
}

const DAY = 24 * 60 * 60;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const stats = createStats();
  const issuedTokens = new IssuedTokens();
  const faults = new FaultRegistry();
  const users = new UserDirectory(seededUsers);
  const closing = new AbortController();

  let handle: Handler | undefined;
  const server = createServer((req, res) => {
    if (handle === undefined)
      return sendError(res, 503, 'temporarily_unavailable', 'the sandbox is starting');
    void handle(req, res);
  });
  const close = closeOnce(server, closing);
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const issuer = `${url}/oauth`;
  const apiBaseUrl = `${url}/api`;
  const otherResourceUrl = `${url}/other-api`;

  try {
    const authorizationServer = await createAuthorizationServer({
      issuer,
      tasksApiAudience: apiBaseUrl,
      otherAudience: otherResourceUrl,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * DAY,
      refreshTokenReuseWindowSeconds: options.refreshTokenReuseWindowSeconds ?? 0,
      quirks: options.quirks ?? {},
      users,
      stats,
      issuedTokens,
    });
    for (const client of options.clients ?? []) await authorizationServer.registerClient(client);

    const revokeUser = (userId: string) =>
      users.find(userId) === undefined ? undefined : authorizationServer.revokeUser(userId);
    const api = createTasksApi({
      basePath: '/api',
      audience: apiBaseUrl,
      users,
      stats,
      verifyAccessToken: (token) => authorizationServer.verifyAccessToken(token),
    });
    const payments = createPaymentsApi({ basePath: '/payments', users });
    const helpdesk = createHelpdeskApi({ basePath: '/helpdesk', users });
    handle = dispatcher({
      areas: [
        ['/oauth', (req, res) => authorizationServer.handle(req, res)],
        ['/api', api],
        ['/payments', payments.handle],
        ['/helpdesk', helpdesk],
      ],
      control: controlRoutes({
        faults,
        revokeUser,
        mintGrant: (input) => authorizationServer.mintGrant(input),
        stats: () => ({ ...stats }),
        issuedTokens: () => issuedTokens.snapshot(),
      }),
      index: {
        name: 'Gatehouse sandbox: Acme Tasks',
        issuer,
        discovery: `${issuer}/.well-known/openid-configuration`,
        apiBaseUrl,
        control: `${url}/control`,
        users: users.users.map(({ username, password, team }) => ({ username, password, team })),
      },
      faults,
      stats,
      closing: closing.signal,
    });

    return {
      url,
      issuer,
      apiBaseUrl,
      otherResourceUrl,
      paymentsBaseUrl: `${url}/payments`,
      apiKeys: payments.apiKeys(),
      helpdeskBaseUrl: `${url}/helpdesk`,
      users: users.users,
      registerClient: (client) => authorizationServer.registerClient(client),
      faults: {
        add: (spec) => faults.add(spec),
        remove: (id) => faults.remove(id),
        clear: () => faults.clear(),
        list: () => faults.list(),
      },
      mintGrant: (input) => authorizationServer.mintGrant(input),
      revokeUser: (userId) => ({ revokedGrants: revokeUser(userId) ?? 0 }),
      stats: () => ({ ...stats }),
      issuedTokens: () => issuedTokens.snapshot(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const reachableHost = ['0.0.0.0', '[::]'].includes(shownHost) ? '127.0.0.1' : shownHost;
  return `http://${reachableHost}:${address.port}`;
}

function closeOnce(server: Server, closing: AbortController): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= new Promise<void>((resolve) => {
      closing.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
}
