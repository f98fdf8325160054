import { readBody } from '../http/io.js';
import { errorReply, jsonReply } from './reply.js';
import { protectedRoute, publicRoute, type Route } from './route.js';

/**
 * Hooks for broker tests. Deliberately unsafe: `/debug/token` and `/debug/token.bin` leak the
 * caller's bearer token.
 */
export function debugRoutes(): Route[] {
  return [
    publicRoute(['GET', 'POST'], /^\/debug\/echo$/, async ({ req, url }) => {
      const headers = { ...req.headers };
      delete headers.authorization;
      delete headers.cookie;
      const raw = await readBody(req);
      let body: unknown = raw.length === 0 ? null : raw;
      if (raw.length > 0 && /json/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(raw);
        } catch {
          // not JSON after all: echo the text
        }
      }
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key);
        query[key] = values.length === 1 ? (values[0] ?? '') : values;
      }
      return jsonReply(200, { method: req.method, path: url.pathname, query, headers, body });
    }),

    protectedRoute('GET', /^\/debug\/token$/, null, (_ctx, caller) =>
      jsonReply(200, { token: caller.token }),
    ),

    // Binary, as a misconfigured upstream might answer: a few non-text bytes (so the token does not
    // start on a 3-byte boundary), the Authorization header as sent, and the token base64-encoded
    // one byte off alignment.
    protectedRoute('GET', /^\/debug\/token\.bin$/, null, (_ctx, caller) => ({
      kind: 'bytes',
      status: 200,
      contentType: 'application/octet-stream',
      body: Buffer.concat([
        Buffer.from([0x00, 0xff, 0x01, 0x89]),
        Buffer.from(`Authorization: Bearer ${caller.token}\n`),
        Buffer.from(Buffer.from(`\u0001${caller.token}`).toString('base64')),
        Buffer.from([0xfe, 0x00]),
      ]),
    })),

    publicRoute('GET', /^\/debug\/redirect$/, ({ url }) => {
      const to = url.searchParams.get('to');
      if (to === null || to.length === 0) return errorReply(400, 'invalid_request', 'give ?to=<url>');
      return { kind: 'empty', status: 302, headers: { location: to } };
    }),
  ];
}
