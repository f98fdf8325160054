import type { UpstreamResponse } from './upstream.js';

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

/**
 * Joins the provider's base URL and a relative path, refusing anything that would leave the base:
 * absolute URLs, scheme-relative `//host`, backslashes, and dot segments that climb out of it.
 */
export function joinUrl(base: string, path: string): URL | undefined {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return undefined;
  const baseUrl = new URL(base);
  let url: URL;
  try {
    url = new URL(`${base}${path}`);
  } catch {
    return undefined;
  }
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  if (url.origin !== baseUrl.origin) return undefined;
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return undefined;
  return url;
}
