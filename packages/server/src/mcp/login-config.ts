import { importJWK, type JWK } from 'jose';
import { z } from 'zod';
import type { ProjectCatalog } from '../catalog/tool-catalog.js';
import { urlTargetsPrivateAddress } from '../outbound/address-policy.js';
import { fail, ok, type Result } from '../shared/result.js';

/** How end users sign in at a server profile's authorization server (input, secrets included). */
export const loginInputSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('oidc'),
    issuer: z.url().max(2000),
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000).optional(),
    scopes: z.array(z.string().min(1).max(100).regex(/^\S+$/)).max(20).optional(),
    userClaim: z.enum(['sub', 'email', 'preferred_username']).optional(),
  }),
  z.strictObject({
    type: z.literal('handoff'),
    loginUrl: z.url().max(2000),
    secret: z.string().min(32).max(512).optional(),
    publicJwk: z.record(z.string(), z.unknown()).optional(),
  }),
  z.strictObject({ type: z.literal('dev') }),
]);
export type LoginInput = z.infer<typeof loginInputSchema>;

/** What is stored and shown: never a secret, only whether one is set. */
export type LoginConfig =
  | {
      type: 'oidc';
      issuer: string;
      clientId: string;
      scopes: string[];
      userClaim: 'sub' | 'email' | 'preferred_username';
      hasClientSecret: boolean;
    }
  | { type: 'handoff'; loginUrl: string; key: 'secret' | 'jwk'; publicJwk: JWK | null }
  | { type: 'dev' };

export interface CheckOptions {
  production: boolean;
  /** http and private addresses allowed for identity providers (the sandbox, local development). */
  allowInternal: boolean;
}

/** Validates a login input and splits it into the stored config and the secret for the vault. */
export async function checkLogin(
  input: LoginInput,
  o: CheckOptions,
): Promise<Result<{ config: LoginConfig; secret: string | undefined }>> {
  if (input.type === 'dev') {
    if (o.production) return fail('invalid_request', 'login.type "dev" is refused in production');
    return ok({ config: { type: 'dev' }, secret: undefined });
  }
  if (input.type === 'oidc') {
    const url = checkedUrl(input.issuer, 'login.issuer', o.allowInternal);
    if (!url.ok) return url;
    // Gatehouse fetches the issuer's discovery document and token endpoint (early feedback; the dispatcher enforces).
    if (!o.allowInternal && urlTargetsPrivateAddress(url.value))
      return fail(
        'address_not_allowed',
        'login.issuer: private, loopback and reserved addresses are not allowed',
      );
    const scopes = input.scopes ?? ['openid'];
    if (!scopes.includes('openid')) return fail('invalid_request', 'login.scopes must include "openid"');
    return ok({
      config: {
        type: 'oidc',
        issuer: input.issuer.replace(/\/+$/, ''),
        clientId: input.clientId,
        scopes,
        userClaim: input.userClaim ?? 'sub',
        hasClientSecret: input.clientSecret !== undefined,
      },
      secret: input.clientSecret,
    });
  }
  const url = checkedUrl(input.loginUrl, 'login.loginUrl', !o.production || o.allowInternal);
  if (!url.ok) return url;
  if ((input.secret === undefined) === (input.publicJwk === undefined))
    return fail('invalid_request', 'login: give exactly one of "secret" (HS256) or "publicJwk"');
  if (input.publicJwk) {
    const jwk = input.publicJwk as JWK;
    if (jwk.d !== undefined || jwk.k !== undefined)
      return fail('invalid_request', 'login.publicJwk must be a public key (no private or symmetric parts)');
    if (typeof jwk.alg !== 'string' || !['ES256', 'RS256', 'EdDSA', 'PS256'].includes(jwk.alg))
      return fail('invalid_request', 'login.publicJwk.alg must be one of ES256, RS256, PS256, EdDSA');
    try {
      await importJWK(jwk, jwk.alg);
    } catch {
      return fail('invalid_request', 'login.publicJwk is not a usable key');
    }
    return ok({
      config: { type: 'handoff', loginUrl: input.loginUrl, key: 'jwk', publicJwk: jwk },
      secret: undefined,
    });
  }
  return ok({
    config: { type: 'handoff', loginUrl: input.loginUrl, key: 'secret', publicJwk: null },
    secret: input.secret,
  });
}

function checkedUrl(value: string, field: string, allowHttp: boolean): Result<URL> {
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:'))
    return fail('invalid_request', `${field} must use https`);
  if (url.username || url.password || url.hash)
    return fail('invalid_request', `${field} must not carry credentials or a fragment`);
  return ok(url);
}

/** Toolkit ids must name toolkits of the project's catalog (built-in or its own); at least one. */
export function checkToolkits(toolkits: string[], catalog: ProjectCatalog): Result<string[]> {
  const unknown = toolkits.filter((t) => !catalog.toolkit(t));
  if (unknown.length > 0)
    return fail('invalid_request', `unknown toolkits: ${unknown.join(', ')}`, { unknown });
  return ok([...new Set(toolkits)]);
}

/** Browser origins allowed to call the MCP endpoint, normalised to `scheme://host[:port]`. */
export function checkOrigins(origins: string[]): Result<string[]> {
  const out: string[] = [];
  for (const o of origins) {
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      return fail('invalid_request', `allowedOrigins: ${o} is not an origin`);
    }
    if (url.origin === 'null' || url.pathname.length > 1 || url.search)
      return fail('invalid_request', `allowedOrigins: ${o} is not an origin (scheme://host[:port])`);
    out.push(url.origin);
  }
  return ok([...new Set(out)]);
}
