import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { newId, randomToken } from '../../shared/ids.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { Db } from '../../store/db.js';
import { isScope, parseScope } from '../scopes.js';
import { AUTH_METHODS, type OAuthClientRecord, redirectUriProblem } from './client.js';

/** RFC 7591 §2 client metadata we act on; other members are accepted and ignored (§3.1). */
export const registrationSchema = z.looseObject({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  logo_uri: z.string().max(2000).optional(),
  scope: z.string().max(1000).optional(),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).optional(),
  grant_types: z.array(z.string().max(100)).max(5).optional(),
  response_types: z.array(z.string().max(100)).max(5).optional(),
});
export type RegistrationRequest = z.infer<typeof registrationSchema>;

/** Per source address and server profile: registration is unauthenticated, so it is rate limited. */
export const REGISTRATION_LIMIT = { count: 20, windowMs: 10 * 60_000 };

interface Row extends Record<string, unknown> {
  id: string;
  metadata: Stored;
  secret_hash: string | null;
}

interface Stored {
  client_name: string | null;
  redirect_uris: string[];
  token_endpoint_auth_method: OAuthClientRecord['tokenEndpointAuthMethod'];
  grant_types: string[];
  client_uri: string | null;
  logo_uri: string | null;
  scope: string | null;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

const httpsOrNull = (value: string | undefined): string | null => {
  if (!value) return null;
  try {
    return new URL(value).protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
};

/** RFC 7591 dynamic client registration, one client list per MCP server profile. */
export class ClientRegistrations {
  constructor(private readonly db: Db) {}

  async register(
    projectId: string,
    serverId: string,
    req: RegistrationRequest,
    source: string,
  ): Promise<Result<{ client: OAuthClientRecord; secret: string | undefined; issuedAt: Date }>> {
    for (const uri of req.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) return fail('invalid_redirect_uri', problem);
    }
    const grantTypes = req.grant_types ?? ['authorization_code'];
    if (
      !grantTypes.includes('authorization_code') ||
      grantTypes.some((g) => g !== 'authorization_code' && g !== 'refresh_token')
    )
      return fail(
        'invalid_client_metadata',
        'grant_types must be authorization_code, optionally with refresh_token',
      );
    if (req.response_types?.some((r) => r !== 'code'))
      return fail('invalid_client_metadata', 'response_types must be ["code"]');
    const scopes = parseScope(req.scope);
    if (scopes.some((s) => !isScope(s)))
      return fail('invalid_client_metadata', `unsupported scope in "${req.scope}"`);
    const sourceHash = sha256Hex(`registration|${source}`);
    const { rows: recent } = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM mcp_clients
       WHERE project_id = $1 AND server_id = $2 AND registered_from = $3 AND created_at > $4`,
      [projectId, serverId, sourceHash, new Date(Date.now() - REGISTRATION_LIMIT.windowMs)],
    );
    if (Number(recent[0]?.n ?? 0) >= REGISTRATION_LIMIT.count)
      return fail('rate_limited', 'too many client registrations from this address; try again later', {
        retryAfterSeconds: Math.ceil(REGISTRATION_LIMIT.windowMs / 1000),
      });
    // RFC 7591 §2: the default method is client_secret_basic, which gets a secret.
    const method = req.token_endpoint_auth_method ?? 'client_secret_basic';
    const secret = method === 'none' ? undefined : `gth_cs_${randomToken(43)}`;
    const stored: Stored = {
      client_name: req.client_name ?? null,
      redirect_uris: req.redirect_uris,
      token_endpoint_auth_method: method,
      grant_types: grantTypes,
      client_uri: httpsOrNull(req.client_uri),
      logo_uri: httpsOrNull(req.logo_uri),
      scope: scopes.length > 0 ? scopes.join(' ') : null,
    };
    const id = newId('mcc');
    const { rows } = await this.db.query<Row & { created_at: Date }>(
      `INSERT INTO mcp_clients (id, project_id, server_id, metadata, secret_hash, registered_from)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, metadata, secret_hash, created_at`,
      [id, projectId, serverId, JSON.stringify(stored), secret ? sha256Hex(secret) : null, sourceHash],
    );
    return ok({ client: toClient(rows[0]!), secret, issuedAt: rows[0]!.created_at });
  }

  async find(projectId: string, serverId: string, clientId: string): Promise<OAuthClientRecord | undefined> {
    const { rows } = await this.db.query<Row>(
      'SELECT id, metadata, secret_hash FROM mcp_clients WHERE project_id = $1 AND server_id = $2 AND id = $3',
      [projectId, serverId, clientId],
    );
    return rows[0] ? toClient(rows[0]) : undefined;
  }
}

function toClient(r: Row): OAuthClientRecord {
  const m = r.metadata;
  return {
    clientId: r.id,
    kind: 'registered',
    name: m.client_name,
    redirectUris: m.redirect_uris,
    tokenEndpointAuthMethod: m.token_endpoint_auth_method,
    grantTypes: m.grant_types,
    clientUri: m.client_uri,
    logoUri: m.logo_uri,
    scope: m.scope,
    secretHash: r.secret_hash,
  };
}

/** Constant-time check of a presented client secret against the stored hash. */
export function secretMatches(client: OAuthClientRecord, presented: string | undefined): boolean {
  if (!client.secretHash || presented === undefined) return false;
  return timingSafeEqual(Buffer.from(sha256Hex(presented)), Buffer.from(client.secretHash));
}
