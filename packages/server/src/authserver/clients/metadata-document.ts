import { z } from 'zod';
import { hostIsBlockedLiteral } from '../../outbound/address-policy.js';
import type { Outbound } from '../../outbound/client.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { type OAuthClientRecord, redirectUriProblem } from './client.js';

/** OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): limits. */
export const METADATA_DOCUMENT_LIMITS = { maxBytes: 5 * 1024, timeoutMs: 5_000, maxCached: 1_000 };
const TTL_MS = { min: 60_000, default: 300_000, max: 3600_000 };

const documentSchema = z.looseObject({
  client_id: z.string(),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  logo_uri: z.string().max(2000).optional(),
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  token_endpoint_auth_method: z.literal('none').optional(),
  grant_types: z.array(z.string()).optional(),
  scope: z.string().max(1000).optional(),
});

/** A client_id that is a URL names a metadata document (https with a path; http too in development). */
export function isMetadataDocumentId(clientId: string, allowInternal: boolean): boolean {
  try {
    const url = new URL(clientId);
    const scheme = url.protocol === 'https:' || (allowInternal && url.protocol === 'http:');
    return scheme && url.pathname !== '/' && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/**
 * Fetches, validates and caches client metadata documents. Every fetch goes through the SSRF-guarded
 * outbound pool: private, loopback and link-local addresses are refused unless the operator allows
 * internal providers (development); redirects are not followed; size and time are capped.
 */
export class MetadataDocuments {
  private readonly cache = new Map<string, { client: OAuthClientRecord; until: number }>();

  constructor(
    private readonly outbound: Outbound,
    private readonly allowInternal: boolean,
  ) {}

  async load(clientId: string): Promise<Result<OAuthClientRecord>> {
    const cached = this.cache.get(clientId);
    if (cached && cached.until > Date.now()) return ok(cached.client);
    if (!isMetadataDocumentId(clientId, this.allowInternal))
      return fail('invalid_client', 'client_id is not a valid metadata document URL');
    const url = new URL(clientId);
    if (!this.allowInternal && hostIsBlockedLiteral(url))
      return fail('invalid_client', 'the client metadata document is on a private address');
    let res: Response;
    try {
      res = await this.outbound.fetchFor(this.allowInternal)(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(METADATA_DOCUMENT_LIMITS.timeoutMs),
      });
    } catch (err) {
      // The SSRF guard refuses before connecting; undici reports it as the cause of "fetch failed".
      const e = err as { code?: string; cause?: { code?: string } };
      const blocked = e.code === 'EBLOCKEDADDRESS' || e.cause?.code === 'EBLOCKEDADDRESS';
      return fail(
        'invalid_client',
        blocked
          ? 'the client metadata document is on a private address'
          : 'the client metadata document could not be fetched',
      );
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      return fail('invalid_client', `the client metadata document answered ${res.status}`);
    }
    const text = await readCapped(res, METADATA_DOCUMENT_LIMITS.maxBytes);
    if (text === undefined) return fail('invalid_client', 'the client metadata document is too large');
    let parsed: z.infer<typeof documentSchema>;
    try {
      const checked = documentSchema.safeParse(JSON.parse(text));
      if (!checked.success)
        return fail('invalid_client', 'the client metadata document is not valid client metadata');
      parsed = checked.data;
    } catch {
      return fail('invalid_client', 'the client metadata document is not JSON');
    }
    // The document must name itself: a document copied to another URL is a different client.
    if (parsed.client_id !== clientId)
      return fail('invalid_client', 'the client metadata document names a different client_id');
    if ('client_secret' in parsed || 'client_secret_expires_at' in parsed)
      return fail('invalid_client', 'a client metadata document must not contain a client secret');
    for (const uri of parsed.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) return fail('invalid_client', `client metadata: ${problem}`);
    }
    const client: OAuthClientRecord = {
      clientId,
      kind: 'metadata_document',
      name: parsed.client_name ?? null,
      redirectUris: parsed.redirect_uris,
      tokenEndpointAuthMethod: 'none',
      grantTypes: parsed.grant_types ?? ['authorization_code', 'refresh_token'],
      clientUri: parsed.client_uri ?? null,
      logoUri: parsed.logo_uri ?? null,
      scope: parsed.scope ?? null,
      secretHash: null,
    };
    this.remember(clientId, client, ttlOf(res.headers.get('cache-control')));
    return ok(client);
  }

  private remember(clientId: string, client: OAuthClientRecord, ttlMs: number): void {
    if (this.cache.size >= METADATA_DOCUMENT_LIMITS.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(clientId, { client, until: Date.now() + ttlMs });
  }
}

function ttlOf(cacheControl: string | null): number {
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '')?.[1];
  if (/no-store|no-cache/i.test(cacheControl ?? '')) return TTL_MS.min;
  const ms = maxAge === undefined ? TTL_MS.default : Number(maxAge) * 1000;
  return Math.min(Math.max(ms, TTL_MS.min), TTL_MS.max);
}

/** The body as text, or undefined once it passes `max` bytes (the rest is not read). */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (declared > max) {
    await res.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
