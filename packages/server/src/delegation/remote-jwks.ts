import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { urlTargetsPrivateAddress } from '../outbound/address-policy.js';
import type { Outbound } from '../outbound/client.js';

/**
 * Key sets served by others (an identity provider, an agent), fetched through the outbound client:
 * the SSRF policy applies at connect time (no private, loopback or link-local address unless the
 * operator allows them), redirects are not followed. jose caches each set (10 min) and re-fetches
 * on an unknown `kid` at most every 30 s, so rotation at the source works without a restart.
 */
// A key set is a few keys; a larger answer is refused rather than buffered.
const MAX_JWKS_BYTES = 64 * 1024;

/** A fetch whose response body is read up to `max` bytes (else it fails), for libraries that buffer it. */
function capped(base: typeof fetch, max: number): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await base(input, init);
    if (!res.body) return res;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) throw new Error(`the key set is larger than ${max} bytes`);
      chunks.push(chunk);
    }
    return new Response(Buffer.concat(chunks), { status: res.status, headers: res.headers });
  }) as typeof fetch;
}

export class RemoteKeySets {
  private readonly sets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly outbound: Outbound) {}

  get(uri: string): JWTVerifyGetKey {
    let set = this.sets.get(uri);
    if (!set) {
      set = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: 5_000,
        [customFetch]: capped(this.outbound.fetchFor(true), MAX_JWKS_BYTES),
      });
      if (this.sets.size >= 1_000) this.sets.delete(this.sets.keys().next().value!);
      this.sets.set(uri, set);
    }
    return set;
  }

  /** Input-time check of a key set URL (the connect-time check stays the one that counts). */
  refusal(uri: string): string | undefined {
    const url = new URL(uri);
    if (url.protocol !== 'https:' && !this.outbound.allowPrivateAddresses) return 'a JWKS URL must use https';
    if (!this.outbound.allowPrivateAddresses && urlTargetsPrivateAddress(url))
      return 'a JWKS URL may not target a private, loopback or link-local address';
    return undefined;
  }
}
