import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Delegation } from '../delegation/tokens.js';
import type { ApiKeyStore, ProjectPrincipal } from '../projects/api-keys.js';
import { type KeyRole, roleGrants } from '../projects/key-roles.js';
import { GatehouseError } from '../shared/errors.js';
import type { Result } from '../shared/result.js';
import { bearerError } from './bearer.js';
import type { AdminPrincipal, AuthKind } from './route.js';

/** Verifies exchanged delegation tokens presented to the REST API (delegation/service.ts). */
export interface DelegationVerifier {
  apiAudience: string;
  verify(token: string, audience: string): Promise<Result<Delegation>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    projectId?: string;
  }
}

const BEARER = /^Bearer ([^\s]+)$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Turns the Authorization header into the principal a route asks for, or a 401/403 error. The one
 * place a project key's role is checked against the role its route declares.
 */
export class Authenticator {
  private readonly adminHash: Buffer | undefined;

  constructor(
    private readonly apiKeys: ApiKeyStore,
    adminToken: string | undefined,
    private readonly delegation?: DelegationVerifier,
  ) {
    this.adminHash = adminToken ? digest(adminToken) : undefined;
  }

  async authenticate(
    kind: AuthKind,
    request: FastifyRequest,
  ): Promise<ProjectPrincipal | AdminPrincipal | undefined> {
    if (kind === 'none') return undefined;
    const token = bearerOf(request);
    // Hashed once: the admin check and the project key lookup both compare SHA-256 digests.
    const hashed = digest(token);
    if (kind === 'admin') {
      if (this.isAdmin(hashed)) return { admin: true };
      if (/^gth_(sk|ak)_/.test(token))
        throw new GatehouseError('forbidden', 'project API keys cannot use admin endpoints');
      if (!this.adminHash)
        throw new GatehouseError('forbidden', 'the admin API is disabled (GATEHOUSE_ADMIN_TOKEN is not set)');
      throw new GatehouseError('unauthorized', 'admin token is not valid');
    }
    if (this.isAdmin(hashed)) {
      throw new GatehouseError(
        'forbidden',
        'the admin token cannot call project endpoints; use a project API key',
      );
    }
    // A JWT on a door that takes exchanged tokens is one, or an invalid_token (unknown issuer…).
    if (kind === 'project:runtime|delegated' && this.delegation && JWT_SHAPE.test(token))
      return this.delegated(token, request);
    const result = await this.apiKeys.authenticate(token, hashed);
    if (!result.ok) throw new GatehouseError(result.error.code, result.error.message);
    request.projectId = result.value.projectId;
    const needed = (
      kind === 'project:runtime|delegated' ? 'runtime' : kind.slice('project:'.length)
    ) as KeyRole;
    if (!roleGrants(result.value.role, needed)) {
      throw new GatehouseError(
        'forbidden',
        `this endpoint needs ${needed === 'admin' ? 'an admin' : 'a runtime'} key; this key's role is ${result.value.role}`,
        { details: { requiredRole: needed, keyRole: result.value.role } },
      );
    }
    return result.value;
  }

  /**
   * An exchanged token acts for its user (`sub`) as its chain's outermost agent, with its scopes;
   * every failure is RFC 6750 `invalid_token` with its challenge.
   */
  private async delegated(token: string, request: FastifyRequest): Promise<ProjectPrincipal> {
    const verified = await this.delegation!.verify(token, this.delegation!.apiAudience);
    if (!verified.ok) throw bearerError('invalid_token', verified.error.message);
    const d = verified.value;
    request.projectId = d.projectId;
    return {
      projectId: d.projectId,
      apiKeyId: `delegated:${d.tokenId}`,
      role: 'runtime',
      agentId: d.chain[0]!,
      delegation: d,
    };
  }

  private isAdmin(hashed: Buffer): boolean {
    return this.adminHash !== undefined && timingSafeEqual(hashed, this.adminHash);
  }
}

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header)
    throw new GatehouseError('unauthorized', 'missing Authorization header (expected "Bearer <key>")');
  const match = BEARER.exec(header.trim());
  if (!match)
    throw new GatehouseError('unauthorized', 'malformed Authorization header (expected "Bearer <key>")');
  return match[1]!;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
