import type { UpstreamResponse } from '../outbound/upstream-call.js';
import type { Scrubber } from './scrub.js';

/** JSON when the upstream says so (or it parses), else text; empty bodies are null. */
export function decodeBody(res: UpstreamResponse): unknown {
  if (res.body.length === 0) return null;
  return decodeText(res.body.toString('utf8'), res.headers['content-type'] ?? '');
}

/**
 * The body decoded with every secret removed. The raw text is checked once (`Scrubber.cleanText`);
 * only a body that may hold a secret is walked string by string.
 */
export function decodeScrubbed(res: UpstreamResponse, scrubber: Scrubber): unknown {
  if (res.body.length === 0) return null;
  const text = res.body.toString('utf8');
  const value = decodeText(text, res.headers['content-type'] ?? '');
  return scrubber.cleanText(text) ? value : scrubber.value(value);
}

function decodeText(text: string, type: string): unknown {
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
