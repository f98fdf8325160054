import { createHash, timingSafeEqual } from 'node:crypto';
import type { McpServerProfile } from '../mcp/server-profiles.js';
import { ok, type Result } from '../shared/result.js';
import type { OAuthClientRecord } from './clients/client.js';
import { type AuthServerDeps, type OAuthFailure, oauthError, urlsOf } from './deps.js';
import { parseScope } from './scopes.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

export type TokenForm = Record<string, string | undefined>;

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) equals the stored challenge. */
function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const computed = createHash('sha256').update(verifier).digest('base64url');
  return (
    computed.length === challenge.length && timingSafeEqual(Buffer.from(computed), Buffer.from(challenge))
  );
}

/** The token endpoint (authorization_code and refresh_token grants) and revocation (RFC 7009). */
export class TokenEndpoint {
  constructor(private readonly d: AuthServerDeps) {}

  async token(
    server: McpServerProfile,
    form: TokenForm,
    authorization: string | undefined,
  ): Promise<Result<TokenResponse, OAuthFailure>> {
    const client = await this.authenticate(server, form, authorization);
    if (!client.ok) return client;
    if (form.resource !== undefined && form.resource.replace(/\/$/, '') !== urlsOf(this.d, server).resource)
      return oauthError('invalid_target', 'tokens are issued only for this MCP server');
    if (form.grant_type === 'authorization_code') return this.authorizationCode(server, client.value, form);
    if (form.grant_type === 'refresh_token') return this.refresh(server, client.value, form);
    return oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  /** Always 200 for a well-formed request by an authenticated client, whether or not the token was valid. */
  async revoke(
    server: McpServerProfile,
    form: TokenForm,
    authorization: string | undefined,
  ): Promise<Result<true, OAuthFailure>> {
    const client = await this.authenticate(server, form, authorization);
    if (!client.ok) return client;
    const token = form.token;
    if (!token) return oauthError('invalid_request', 'token is missing');
    const { projectId } = server;
    const family =
      (await this.d.grants.familyOfRefreshToken(projectId, server.id, token)) ??
      (await this.familyOfAccessToken(server, token));
    // A client may revoke only its own grants (RFC 7009 §2.1).
    if (family && family.clientId === client.value.clientId)
      await this.d.grants.revokeFamily(this.d.db, projectId, family.id, 'revoked_by_client');
    return ok(true);
  }

  private async authorizationCode(
    server: McpServerProfile,
    client: OAuthClientRecord,
    form: TokenForm,
  ): Promise<Result<TokenResponse, OAuthFailure>> {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = form;
    if (!code || !redirectUri || !verifier)
      return oauthError('invalid_request', 'code, redirect_uri and code_verifier are required');
    const { projectId } = server;
    const granted = await this.d.db.transaction(
      async (
        tx,
      ): Promise<
        Result<
          { familyId: string; userId: string; scopes: string[]; refreshToken: string | undefined },
          OAuthFailure
        >
      > => {
        const redeemed = await this.d.requests.redeem(tx, projectId, server.id, code);
        if (redeemed.kind === 'reused') {
          if (redeemed.familyId)
            await this.d.grants.revokeFamily(tx, projectId, redeemed.familyId, 'code_reuse');
          this.d.log.warn(
            {
              project_id: projectId,
              mcp_server_id: server.id,
              client_id: client.clientId,
              family_id: redeemed.familyId,
            },
            'MCP authorization code presented twice: its grant is revoked',
          );
          return oauthError(
            'invalid_grant',
            'the authorization code was already used; its tokens are revoked',
          );
        }
        if (redeemed.kind === 'invalid')
          return oauthError('invalid_grant', 'the authorization code is invalid or expired');
        const request = redeemed.request;
        if (request.clientId !== client.clientId)
          return oauthError('invalid_grant', 'the authorization code was issued to another client');
        // RFC 6749 §4.1.3: identical to the authorization request's, a loopback client's port included.
        if (request.redirectUri !== redirectUri)
          return oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
        if (!verifierMatches(verifier, request.codeChallenge))
          return oauthError('invalid_grant', 'code_verifier does not match the code challenge');
        const familyId = await this.d.grants.createFamily(tx, projectId, {
          serverId: server.id,
          clientId: client.clientId,
          userId: request.userId!,
          scopes: request.scopes,
        });
        await this.d.requests.setFamily(tx, projectId, request.id, familyId);
        const refreshToken = client.grantTypes.includes('refresh_token')
          ? await this.d.grants.issueRefreshToken(tx, projectId, familyId)
          : undefined;
        return ok({ familyId, userId: request.userId!, scopes: request.scopes, refreshToken });
      },
    );
    if (!granted.ok) return granted;
    return this.respond(server, client, granted.value);
  }

  private async refresh(
    server: McpServerProfile,
    client: OAuthClientRecord,
    form: TokenForm,
  ): Promise<Result<TokenResponse, OAuthFailure>> {
    if (!form.refresh_token) return oauthError('invalid_request', 'refresh_token is missing');
    if (!client.grantTypes.includes('refresh_token'))
      return oauthError('unauthorized_client', 'this client is not registered for the refresh_token grant');
    // RFC 6749 §6: a refresh may narrow the scope, never widen it (checked before the token is spent).
    const asked = parseScope(form.scope);
    if (asked.length > 0) {
      const current = await this.d.grants.familyOfRefreshToken(
        server.projectId,
        server.id,
        form.refresh_token,
      );
      if (current && asked.some((s) => !current.scopes.includes(s)))
        return oauthError('invalid_scope', 'a refresh cannot add scopes; authorize again');
    }
    const rotated = await this.d.grants.rotate(
      server.projectId,
      server.id,
      form.refresh_token,
      client.clientId,
    );
    if (!rotated.ok) {
      if (rotated.error.details?.reusedFamily)
        this.d.log.warn(
          {
            project_id: server.projectId,
            mcp_server_id: server.id,
            client_id: client.clientId,
            family_id: rotated.error.details.reusedFamily,
          },
          'MCP refresh token presented twice: its grant is revoked',
        );
      return oauthError('invalid_grant', rotated.error.message);
    }
    const { family, refreshToken } = rotated.value;
    const scopes = asked.length > 0 ? asked : family.scopes;
    return this.respond(server, client, { familyId: family.id, userId: family.userId, scopes, refreshToken });
  }

  private async respond(
    server: McpServerProfile,
    client: OAuthClientRecord,
    g: { familyId: string; userId: string; scopes: string[]; refreshToken: string | undefined },
  ): Promise<Result<TokenResponse, OAuthFailure>> {
    const { token, expiresIn } = await this.d.accessTokens.issue(server.projectId, urlsOf(this.d, server), {
      userId: g.userId,
      clientId: client.clientId,
      scopes: g.scopes,
      familyId: g.familyId,
    });
    return ok({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      ...(g.refreshToken ? { refresh_token: g.refreshToken } : {}),
      scope: g.scopes.join(' '),
    });
  }

  private async authenticate(
    server: McpServerProfile,
    form: TokenForm,
    authorization: string | undefined,
  ): Promise<Result<OAuthClientRecord, OAuthFailure>> {
    const found = await this.d.clients.authenticate(server.projectId, server.id, {
      authorization,
      clientId: form.client_id,
      clientSecret: form.client_secret,
    });
    if (found.ok) return found;
    return found.error.code === 'invalid_request'
      ? oauthError('invalid_request', found.error.message)
      : oauthError('invalid_client', found.error.message, 401);
  }

  private async familyOfAccessToken(server: McpServerProfile, token: string) {
    const verified = await this.d.accessTokens.verify(server.projectId, urlsOf(this.d, server), token);
    return verified.ok ? this.d.grants.family(server.projectId, verified.value.familyId) : undefined;
  }
}
