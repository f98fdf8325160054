/**
 * Removes every known secret value (access and refresh tokens, client secret, PKCE verifier,
 * authorization code, API keys) from anything Gatehouse is about to return, store in plaintext or
 * log. Upstreams sometimes echo credentials (debug endpoints, error messages, introspection, a
 * `Basic` header quoted back in base64); the agent, the browser and the database must never see them.
 *
 * A scrubber is built once per set of secrets: each secret's encoded forms are derived up front
 * (raw, URL-encoded, JSON-escaped, and base64 / base64url at every byte alignment), so scrubbing a
 * string is a handful of `includes` calls.
 */
export const REDACTED = '[REDACTED]';

/** Shorter values are not treated as secrets: too likely to match ordinary text. */
export const MIN_SECRET_LENGTH = 8;

export class Scrubber {
  /** Every form a secret can take in text, longest first; none contains another. */
  readonly #needles: string[];
  #byteNeedles: Buffer[] | undefined;

  constructor(secrets: Iterable<string | null | undefined>) {
    const forms = new Set<string>();
    for (const secret of secrets)
      if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH)
        for (const form of encodedForms(secret)) forms.add(form);
    this.#needles = minimalCover([...forms]);
  }

  get empty(): boolean {
    return this.#needles.length === 0;
  }

  /**
   * True when `text` holds no form of any secret and no escape sequence. Then no value `JSON.parse`
   * makes of it holds one either (without escapes every string it yields, key or value, is a
   * substring of the text), so scrubbing the parsed value would change nothing and can be skipped:
   * one pass per needle over the raw body instead of a walk over every string in it.
   */
  cleanText(text: string): boolean {
    if (this.empty) return true;
    if (text.includes('\\')) return false;
    for (const needle of this.#needles) if (text.includes(needle)) return false;
    return true;
  }

  string(text: string): string {
    let out = text;
    for (const needle of this.#needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  }

  /**
   * Strings, arrays and plain objects are rebuilt with every secret removed (keys too); bytes are
   * scrubbed as bytes. Anything else (Date, numbers, class instances) is returned as it is: a Date
   * carries no secret, and rebuilding it as a plain object would turn it into `{}`.
   */
  value<T>(value: T): T {
    if (this.empty) return value;
    return this.#walk(value) as T;
  }

  /** A binary body: every form of every secret is replaced in the bytes (before any base64 encoding). */
  bytes(body: Buffer): Buffer {
    this.#byteNeedles ??= this.#needles.map((n) => Buffer.from(n, 'utf8'));
    let out = body;
    for (const needle of this.#byteNeedles) out = replaceBytes(out, needle);
    return out;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((v) => this.#walk(v));
    if (value instanceof Uint8Array)
      return this.bytes(Buffer.from(value.buffer, value.byteOffset, value.length));
    if (value !== null && typeof value === 'object' && isPlain(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.string(k)] = this.#walk(v);
      return out;
    }
    return value;
  }
}

/**
 * Scrubbers by the content of their secrets: each call builds its own secrets array, but the same
 * account's call after call holds the same secrets, and deriving their encoded forms is most of the
 * cost of a scrubber. Bounded; the oldest entry goes first. (The secrets are in memory anyway.)
 */
const byContent = new Map<string, Scrubber>();
const MAX_SCRUBBERS = 1_000;

/** Scrubs a value with a scrubber for `secrets`, built once per distinct content of the array. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  return scrubberFor(secrets).value(value);
}

export function scrubString(text: string, secrets: readonly string[]): string {
  return scrubberFor(secrets).string(text);
}

export function scrubberFor(secrets: readonly string[]): Scrubber {
  const key = secrets.join('\u0000');
  let scrubber = byContent.get(key);
  if (!scrubber) {
    scrubber = new Scrubber(secrets);
    if (byContent.size >= MAX_SCRUBBERS) byContent.delete(byContent.keys().next().value!);
    byContent.set(key, scrubber);
  }
  return scrubber;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The forms a secret takes in a response: raw, URL-encoded, JSON-escaped, base64 and base64url. */
export function encodedForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  const uri = encodeURIComponent(secret);
  forms.push(
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    uri.replace(/%20/g, '+'),
  );
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const core = base64Core(bytes, shift);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/**
 * The base64 characters that depend only on the secret's bytes when it starts `shift` bytes into a
 * 3-byte group: a secret inside a longer base64 text (`Basic base64(id:secret)`, an encoded JSON
 * document) appears as one of the three cores, whatever precedes it.
 */
function base64Core(bytes: Buffer, shift: number): string {
  const padded = Buffer.alloc(shift + bytes.length);
  bytes.copy(padded, shift);
  const text = padded.toString('base64');
  const start = Math.ceil((8 * shift) / 6);
  const end = Math.floor((8 * padded.length) / 6);
  return text.slice(start, end);
}

/** Drops forms that contain another form: replacing the shorter one removes them as well. */
function minimalCover(forms: string[]): string[] {
  const sorted = [...new Set(forms)].filter((f) => f.length > 0).sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const form of sorted) if (!kept.some((k) => form.includes(k))) kept.push(form);
  return kept.sort((a, b) => b.length - a.length);
}

const REDACTED_BYTES = Buffer.from(REDACTED, 'utf8');

function replaceBytes(body: Buffer, needle: Buffer): Buffer {
  let at = body.indexOf(needle);
  if (at === -1) return body;
  const parts: Buffer[] = [];
  let from = 0;
  while (at !== -1) {
    parts.push(body.subarray(from, at), REDACTED_BYTES);
    from = at + needle.length;
    at = body.indexOf(needle, from);
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}
