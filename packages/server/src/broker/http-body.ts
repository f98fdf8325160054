import type { UpstreamResponse } from '../outbound/upstream-call.js';

/** JSON when the upstream says so (or it parses), else text; empty bodies are null. */
export function decodeBody(res: UpstreamResponse): unknown {
  if (res.body.length === 0) return null;
  const text = res.body.toString('utf8');
  const type = res.headers['content-type'] ?? '';
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
