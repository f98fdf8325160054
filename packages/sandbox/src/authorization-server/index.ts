import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import type { AccessToken } from 'oidc-provider';
import { sendError } from '../http/io.js';
import type { IssuedTokens, SandboxStats } from '../stats.js';
import type { UserDirectory } from '../users.js';
import { basicAuthForPostOnlyClient, registerClient, type SandboxClient } from './clients.js';
import { providerConfiguration } from './configuration.js';
import { interactionRoutes } from './interactions.js';
import { MemoryStore } from './memory-store.js';
import { type MintedGrant, type MintGrantInput, mintGrant } from './mint.js';
import { observeProvider } from './observe.js';
import { Provider } from './oidc-provider.js';
import { type SandboxQuirks, standardRequestUrl } from './quirks.js';

export type { SandboxClient } from './clients.js';
export type { MintedGrant, MintGrantInput } from './mint.js';
export type { SandboxQuirks } from './quirks.js';

export interface AuthorizationServerOptions {
  issuer: string;
  tasksApiAudience: string;
  otherAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** a rotated-out refresh token keeps working this long (0: reuse is detected at once) */
  refreshTokenReuseWindowSeconds: number;
  quirks: SandboxQuirks;
  users: UserDirectory;
  stats: SandboxStats;
  issuedTokens: IssuedTokens;
}

/** What a resource server learns from looking an access token up. */
export interface VerifiedAccessToken {
  accountId: string;
  clientId: string;
  audience: string | undefined;
  scopes: ReadonlySet<string>;
}

export interface AuthorizationServer {
  /** serves `{mountPath}/*`: oidc-provider's endpoints plus the login and consent pages */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  registerClient(client: SandboxClient): Promise<void>;
  /** revokes every grant of the user, with their codes, access and refresh tokens */
  revokeUser(userId: string): number;
  /** test hook: a real grant with refresh and access tokens, without the browser flow */
  mintGrant(input: MintGrantInput): Promise<MintedGrant>;
  /** looks an opaque access token up; `undefined` if unknown, expired or revoked */
  verifyAccessToken(token: string): Promise<VerifiedAccessToken | undefined>;
}

export async function createAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<AuthorizationServer> {
  const mountPath = new URL(options.issuer).pathname.replace(/\/$/, '');
  const store = new MemoryStore({
    refreshTokenReuseWindowSeconds: options.refreshTokenReuseWindowSeconds,
    onReuseInWindow: () => {
      options.stats.refreshReuseInWindow++;
    },
  });
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), use: 'sig' };

  const provider = new Provider(
    options.issuer,
    providerConfiguration({
      ...options,
      mountPath,
      store,
      signingKey,
      cookieKeys: [randomBytes(32).toString('base64url')],
    }),
  );
  provider.use(observeProvider(options));
  provider.on('server_error', (_ctx, error) => console.error('sandbox oidc-provider server_error', error));

  const handleInteraction = interactionRoutes(provider, options.users, mountPath);
  const callback = provider.callback();
  const authMethods = new Map<string, SandboxClient['tokenEndpointAuthMethod']>();

  return {
    async handle(req, res) {
      if (await handleInteraction(req, res)) return;
      const postOnly = basicAuthForPostOnlyClient(req.headers.authorization, (id) => authMethods.get(id));
      if (req.method === 'POST' && postOnly !== undefined) {
        return sendError(
          res,
          401,
          'invalid_client',
          `client ${postOnly} must authenticate with client_secret_post`,
        );
      }
      // Mounted under a path: oidc-provider derives its mount point from originalUrl vs url, so any
      // rewrite happens here, to both, and never through Koa (ctx.query= would break the match).
      const original = standardRequestUrl(req.url ?? '/', `${mountPath}/auth`, options.quirks);
      Object.assign(req, { originalUrl: original, url: original.slice(mountPath.length) || '/' });
      await callback(req, res);
    },

    async registerClient(client) {
      await registerClient(provider, store, client);
      authMethods.set(client.clientId, client.tokenEndpointAuthMethod);
    },

    revokeUser(userId) {
      const grantIds = store.grantIdsOfAccount(userId);
      for (const grantId of grantIds) store.revokeGrant(grantId);
      return grantIds.length;
    },

    mintGrant: (input) =>
      mintGrant(
        provider,
        options.tasksApiAudience,
        options.accessTokenTtlSeconds,
        (id) => options.users.find(id),
        input,
      ),

    async verifyAccessToken(token) {
      const found: AccessToken | undefined = await provider.AccessToken.find(token);
      if (found === undefined || found.isExpired || found.clientId === undefined) return undefined;
      return {
        accountId: found.accountId,
        clientId: found.clientId,
        audience: typeof found.aud === 'string' ? found.aud : undefined,
        scopes: found.scopes,
      };
    },
  };
}
