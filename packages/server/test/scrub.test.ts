import { describe, expect, it } from 'vitest';
import { decodeScrubbed } from '../src/broker/http-body.js';
import { REDACTED, Scrubber, scrub } from '../src/broker/scrub.js';
import type { UpstreamResponse } from '../src/outbound/upstream-call.js';

const token = 'at_9f8e7d6c5b4a3/+x?y=z&w'; // characters that URL, JSON and base64 encode differently
const secret = 'cs_"quoted\\secret"';
const scrubber = new Scrubber([token, secret, 'short', undefined, null]);

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('the scrubber finds a secret in every encoding a response can carry', () => {
  const carriers: Record<string, string> = {
    raw: `token=${token}!`,
    'URL-encoded': `https://x.example/?t=${encodeURIComponent(token)}`,
    'URL-encoded, lowercase hex': `t=${encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}`,
    'JSON-escaped': JSON.stringify({ s: secret }),
    base64: b64(token),
    base64url: b64url(token),
    'base64, one byte off alignment': b64(`x${token}`),
    'base64, two bytes off alignment': b64(`xy${token}`),
    'base64url, two bytes off alignment': b64url(`xy${token}`),
    'Basic credentials (base64 of id:secret)': `Basic ${b64(`client-id:${secret}`)}`,
  };
  for (const [encoding, text] of Object.entries(carriers)) {
    it(encoding, () => {
      const out = scrubber.string(text);
      expect(out).toContain(REDACTED);
      expect(out).not.toContain(token);
      expect(out).not.toContain(secret);
      for (const form of [b64(token), b64url(token), encodeURIComponent(token), JSON.stringify(secret)])
        expect(out).not.toContain(form);
    });
  }

  it('leaves text without secrets, and secrets shorter than 8 characters, alone', () => {
    expect(scrubber.string('nothing to see; short is short')).toBe('nothing to see; short is short');
    expect(new Scrubber([]).value({ a: 'b' })).toEqual({ a: 'b' });
  });
});

describe('structured values and bytes', () => {
  it('rebuilds plain objects and arrays, keys included, and leaves Dates and other objects intact', () => {
    const expiresAt = new Date('2026-12-03T10:00:00Z');
    const out = scrub(
      { [token]: 'key', list: [`Bearer ${token}`, 3, null], connectLink: { url: 'u', expiresAt } },
      [token],
    );
    expect(Object.keys(out)).toEqual([REDACTED, 'list', 'connectLink']);
    expect(out.list).toEqual([`Bearer ${REDACTED}`, 3, null]);
    expect(out.connectLink.expiresAt).toBe(expiresAt);
    expect(JSON.parse(JSON.stringify(out)).connectLink.expiresAt).toBe('2026-12-03T10:00:00.000Z');
  });

  it('an authorization_required answer keeps its connect link expiry through the scrubber', () => {
    const expiresAt = new Date(Date.now() + 600_000);
    const result = { error: { details: { connectLink: { id: 'cl_1', expiresAt } } } };
    const json = JSON.stringify(scrub(result, [token]));
    expect(json).toContain(`"expiresAt":"${expiresAt.toISOString()}"`);
  });

  it('scrubs binary bodies byte-wise, wherever the secret starts', () => {
    const body = Buffer.concat([
      Buffer.from([0x00, 0xff, 0x01]),
      Buffer.from(`Authorization: Bearer ${token}\n`),
      Buffer.from(b64(`\u0001${token}`)),
      Buffer.from([0xfe, 0x00]),
    ]);
    const out = scrubber.bytes(body);
    expect(out.includes(Buffer.from(token))).toBe(false);
    expect(out.toString('latin1')).toContain(REDACTED);
    expect([...out.subarray(0, 3)]).toEqual([0x00, 0xff, 0x01]); // the rest of the body is kept
    expect([...out.subarray(-2)]).toEqual([0xfe, 0x00]);
    // Encoded afterwards, the body carries no trace of the token at any alignment.
    const encoded = out.toString('base64');
    for (const shift of ['', 'x', 'xy']) expect(encoded).not.toContain(b64(`${shift}${token}`).slice(4, -4));
  });

  it('is cheap for the execute path: a 256 KiB body with three secrets in a few milliseconds', () => {
    const secrets = ['a'.repeat(40), 'b'.repeat(60), 'c'.repeat(32)].map((s, i) => `${s}${i}`);
    const big = { items: Array.from({ length: 2000 }, (_, i) => ({ id: i, title: 'x'.repeat(120) })) };
    scrub(big, secrets);
    const started = performance.now();
    for (let i = 0; i < 10; i++) scrub(big, secrets);
    expect((performance.now() - started) / 10).toBeLessThan(50);
  });
});

describe('one check on the raw upstream body decides whether the decoded body needs a walk', () => {
  const upstream = (text: string): UpstreamResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(text),
    attempts: 1,
  });
  const slashed = 'tok/with/slashes+and=';
  const s = new Scrubber([token, slashed]);

  it('a body without any form of a secret and without escapes is clean, and is returned as parsed', () => {
    const text = JSON.stringify({ items: [{ id: 1, title: 'plain' }], next: null });
    expect(s.cleanText(text)).toBe(true);
    expect(decodeScrubbed(upstream(text), s)).toEqual(JSON.parse(text));
  });

  // Each body hides a secret behind JSON escapes that only parsing undoes: never judged clean.
  const hidden: Record<string, string> = {
    'escaped slashes': `{"t":"${slashed.replaceAll('/', '\\/')}"}`,
    'unicode escapes': `{"t":"${[...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`,
    'an escaped key': `{"${slashed.replaceAll('/', '\\/')}":1}`,
  };
  for (const [how, text] of Object.entries(hidden)) {
    it(`a secret behind ${how} is removed from the decoded body`, () => {
      expect(s.cleanText(text)).toBe(false);
      const out = JSON.stringify(decodeScrubbed(upstream(text), s));
      expect(out).not.toContain(token);
      expect(out).not.toContain(slashed);
      expect(out).not.toContain(slashed.replaceAll('/', '\\/'));
      expect(out).toContain(REDACTED);
    });
  }

  it('a body carrying a secret in the clear is walked and scrubbed', () => {
    const text = JSON.stringify({ echo: { authorization: `Bearer ${token}` } });
    expect(s.cleanText(text)).toBe(false);
    expect(JSON.stringify(decodeScrubbed(upstream(text), s))).not.toContain(token);
  });
});
