import { SUPPORTED_SCOPES } from '../authserver/scopes.js';
import type { AuthServer } from '../authserver/service.js';
import { SERVER_ID, serverUrls, USER_SESSION_ID } from '../authserver/urls.js';
import type { DelegatedCall } from '../broker/types.js';
import type { Delegation } from '../delegation/tokens.js';
import type { Failure, Result } from '../shared/result.js';
import type { ToolMode } from './meta-tools.js';
import type { McpServerProfiles } from './server-profiles.js';
import type { McpUserSessions } from './user-sessions.js';

/** Who is calling an MCP endpoint, and what they may reach. */
export interface McpPrincipal {
  projectId: string;
  userId: string;
  /** The OAuth client id, or the per-user URL's id: the binding of protocol sessions. */
  clientId: string;
  /** Recorded by the broker and audit as the acting agent. */
  agentId: string;
  scopes: ReadonlySet<string>;
  toolkits: string[];
  /** 'search': only the search_tools / execute_tool meta-tools are listed. */
  toolMode: ToolMode;
  /** Connect Links are bound to a sign-in at this server profile, when there is one. */
  loginRealm: string | null;
  /** `mcs_…` or `mcu_…`: the endpoint the principal was authenticated for. */
  endpoint: string;
  serverName: string;
  /** Set when the bearer was an exchanged delegation token: its verified chain. */
  delegation?: DelegatedCall;
}

/** Exchanged tokens, verified for one MCP server (its resource is their audience). */
export interface DelegationCheck {
  claimsToBe(token: string): boolean;
  verify(token: string, audience: string, projectId: string): Promise<Result<Delegation>>;
}

export type GateFailure = Failure & { status: number; wwwAuthenticate?: string };
export type Authenticated = { ok: true; value: McpPrincipal } | { ok: false; error: GateFailure };

/** One MCP endpoint, found by the id in its URL, before anyone is authenticated. */
export interface McpTarget {
  endpoint: string;
  projectId: string;
  /** Browser origins allowed besides Gatehouse's own. */
  allowedOrigins: string[];
  authenticate(authorization: string | undefined): Promise<Authenticated>;
  /** RFC 6750 §3.1 challenge for a valid token lacking `scopes`; undefined where OAuth is not used. */
  insufficientScope?(scopes: string[]): string;
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i;
const quote = (s: string) => s.replace(/["\\]/g, '');

/** Finds MCP endpoints and authenticates their callers: OAuth access tokens, or per-user URL credentials. */
export class McpGate {
  constructor(
    private readonly publicUrl: string,
    private readonly profiles: McpServerProfiles,
    private readonly authServer: AuthServer,
    private readonly userSessions: McpUserSessions,
    private readonly delegation: DelegationCheck,
  ) {}

  async server(serverId: string): Promise<McpTarget | undefined> {
    if (!SERVER_ID.test(serverId)) return undefined;
    const server = await this.profiles.getForEndpoint(serverId);
    if (!server) return undefined;
    const urls = serverUrls(this.publicUrl, server.id);
    const scope = SUPPORTED_SCOPES.join(' ');
    const challenge = (error?: { code: string; description: string }) =>
      [
        'Bearer',
        error ? ` error="${error.code}", error_description="${quote(error.description)}",` : '',
        ` resource_metadata="${urls.resourceMetadata}", scope="${scope}"`,
      ].join('');
    return {
      endpoint: server.id,
      projectId: server.projectId,
      allowedOrigins: server.allowedOrigins,
      authenticate: async (authorization) => {
        const token = BEARER.exec(authorization?.trim() ?? '')?.[1];
        if (!token) return unauthorized('an access token is required', challenge());
        // An exchanged token (RFC 8693) whose audience is this server acts as its chain's agent.
        if (this.delegation.claimsToBe(token)) {
          const delegated = await this.delegation.verify(token, urls.resource, server.projectId);
          if (!delegated.ok)
            return unauthorized(
              delegated.error.message,
              challenge({ code: 'invalid_token', description: delegated.error.message }),
            );
          const d = delegated.value;
          return {
            ok: true,
            value: {
              projectId: server.projectId,
              userId: d.userId,
              clientId: `delegated:${d.chain[0]}`,
              agentId: d.chain[0]!,
              scopes: d.scopes,
              toolkits: server.toolkits,
              loginRealm: server.id,
              endpoint: server.id,
              serverName: server.name,
              toolMode: server.toolMode,
              delegation: { userId: d.userId, chain: d.chain, scopes: d.scopes },
            },
          };
        }
        const verified = await this.authServer.verifyAccessToken(server, token);
        if (!verified.ok)
          return unauthorized(
            verified.error.message,
            challenge({ code: 'invalid_token', description: verified.error.message }),
          );
        const t = verified.value;
        return {
          ok: true,
          value: {
            projectId: server.projectId,
            userId: t.userId,
            clientId: t.clientId,
            agentId: t.clientId,
            scopes: new Set(t.scopes),
            toolkits: server.toolkits,
            toolMode: server.toolMode,
            loginRealm: server.id,
            endpoint: server.id,
            serverName: server.name,
          },
        };
      },
      insufficientScope: (scopes) =>
        `Bearer error="insufficient_scope", error_description="this call needs more access", resource_metadata="${urls.resourceMetadata}", scope="${scopes.join(' ')}"`,
    };
  }

  async userSession(sessionId: string): Promise<McpTarget | undefined> {
    if (!USER_SESSION_ID.test(sessionId)) return undefined;
    const found = await this.userSessions.find(sessionId);
    if (!found) return undefined;
    const profile = found.serverId ? await this.profiles.getForEndpoint(found.serverId) : undefined;
    const server = profile?.projectId === found.projectId ? { ok: true as const, value: profile } : undefined;
    const challenge = (description: string) =>
      `Bearer error="invalid_token", error_description="${quote(description)}"`;
    return {
      endpoint: found.id,
      projectId: found.projectId,
      allowedOrigins: server?.ok ? server.value.allowedOrigins : [],
      authenticate: async (authorization) => {
        const credential = BEARER.exec(authorization?.trim() ?? '')?.[1];
        if (!credential) return unauthorized('a bearer credential is required', 'Bearer');
        const session = await this.userSessions.authenticate(sessionId, credential);
        if (!session.ok) return unauthorized(session.error.message, challenge(session.error.message));
        const s = session.value;
        const profile = server?.ok ? server.value : undefined;
        return {
          ok: true,
          value: {
            projectId: s.projectId,
            userId: s.userId,
            clientId: s.id,
            // Minted with an agent key: the client acts as that agent (its policies and limits apply).
            agentId: s.agentId ?? `mcp-session:${s.id}`,
            // The developer's backend minted this URL for the user: it carries every MCP scope.
            scopes: new Set(SUPPORTED_SCOPES),
            toolkits: s.toolkits ?? profile?.toolkits ?? [],
            toolMode: profile?.toolMode ?? 'all',
            loginRealm: profile?.id ?? null,
            endpoint: s.id,
            serverName: profile?.name ?? 'Gatehouse',
          },
        };
      },
    };
  }
}

const unauthorized = (message: string, wwwAuthenticate: string): Authenticated => ({
  ok: false,
  error: { code: 'unauthorized', message, status: 401, wwwAuthenticate },
});
