import { randomBytes, randomFillSync } from 'node:crypto';

// Ids are minted on every request (execution, audit): draw their randomness from a pooled buffer
// instead of one small synchronous CSPRNG call per id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function randomSlice(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
}

// Crockford base32: ids sort by creation time (48-bit ms timestamp first), like ULIDs.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export type IdPrefix =
  | 'prj'
  | 'db'
  | 'key'
  | 'dk'
  | 'ac'
  | 'cp'
  | 'ca'
  | 'cl'
  | 'exe'
  | 'aud'
  | 'agt'
  | 'pol'
  | 'apr'
  | 'evt'
  | 'whk'
  | 'whd'
  | 'mcs'
  | 'mcc'
  // MCP: user URL session, authorization request, token family, signing key, login session, login attempt
  | 'mcu'
  | 'mcr'
  | 'mcf'
  | 'mck'
  | 'mcl'
  | 'mca'
  // Delegation: signing key of exchanged tokens, an agent's registered public key
  | 'dsk'
  | 'apk';

/**
 * `prj_01hx…`: a type prefix and 26 sortable base32 characters (48-bit time, 80 random bits). `at`
 * (ms) is for seeding history (the scale benchmark); the code mints ids now.
 */
export function newId(prefix: IdPrefix, at: number = Date.now()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(at, 0, 6);
  randomSlice(10).copy(bytes, 6);
  return `${prefix}_${encodeBase32(bytes)}`;
}

/**
 * The smallest id of this type minted at or after `at` (time part set, random part zero): ids sort by
 * creation time, so `id >= idFloor(p, t)` selects exactly the ids minted from `t` on.
 */
export function idFloor(prefix: IdPrefix, at: Date): string {
  const bytes = Buffer.alloc(16);
  const ms = at.getTime();
  bytes.writeUIntBE(Number.isFinite(ms) ? Math.min(Math.max(0, ms), 2 ** 48 - 1) : 0, 0, 6);
  return `${prefix}_${encodeBase32(bytes)}`;
}

/** `bytes` random bytes as hex, from the pool (trace and span ids on every request). */
export function randomHex(bytes: number): string {
  return randomSlice(bytes).toString('hex');
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of `length` base62 characters (unbiased: rejection sampling). */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
