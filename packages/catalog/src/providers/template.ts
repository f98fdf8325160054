import { err, ok, type Result } from '../result.js';

/**
 * `{{settings.x}}` / `{{connection.x}}` templates in provider definitions.
 *
 * Values are substituted verbatim (no URL-encoding), so the renderer's job is to make sure a value can
 * never move a URL to another origin: a tenant id cannot smuggle in `evil.com/`, a cloud id cannot turn
 * a path into `//evil.com`.
 */
export type TemplateVars = {
  settings: Readonly<Record<string, string>>;
  connection: Readonly<Record<string, string>>;
};
export type Placeholder = { source: 'settings' | 'connection'; name: string };
export type TemplateError = { code: 'invalid_template_value'; message: string };

const PLACEHOLDER = /\{\{(settings|connection)\.([A-Za-z_][A-Za-z0-9_]*)\}\}/g;
// What a value may contribute to a literal host: DNS labels and dots, nothing that ends the authority.
const HOST_CHARS = /^[A-Za-z0-9.-]+$/;
const ABSOLUTE = /^https?:\/\//i;
const PROBE_ORIGIN = 'https://origin.invalid';

export function placeholdersOf(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({
    source: m[1] === 'settings' ? 'settings' : 'connection',
    name: m[2] ?? '',
  }));
}

type Segment = { literal: string } | { placeholder: Placeholder; raw: string; value: string };

export function renderTemplate(template: string, vars: TemplateVars): Result<string, TemplateError> {
  const segments = resolve(template, vars);
  if (!Array.isArray(segments)) return segments;
  const rendered = segments.map((s) => ('literal' in s ? s.literal : s.value)).join('');
  const first = segments[0];

  if (first !== undefined && 'placeholder' in first && template.startsWith(first.raw)) {
    // The host itself is a placeholder (sandbox baseUrl, Salesforce instance_url).
    const base = parseBaseUrl(first.value);
    if (base === undefined) {
      return invalid(`${first.raw} must be an absolute http(s) URL without credentials, query or fragment`);
    }
    return sameOrigin(rendered, base.origin)
      ? ok(rendered)
      : invalid(`${template} must stay on ${base.origin}`);
  }
  if (ABSOLUTE.test(template)) return checkLiteralHost(template, segments, rendered);
  if (template.startsWith('/')) {
    // A path joined to an API base URL must not become protocol-relative (`//evil.com`) or absolute.
    return sameOrigin(rendered, PROBE_ORIGIN, PROBE_ORIGIN)
      ? ok(rendered)
      : invalid(`${template} must stay a path`);
  }
  return ok(rendered);
}

/**
 * A template rendered as a plain value (a query parameter's value), not as a URL: the caller encodes
 * it (URLSearchParams), so a value cannot change the request's origin or path.
 */
export function renderValue(template: string, vars: TemplateVars): Result<string, TemplateError> {
  const segments = resolve(template, vars);
  if (!Array.isArray(segments)) return segments;
  return ok(segments.map((s) => ('literal' in s ? s.literal : s.value)).join(''));
}

function resolve(template: string, vars: TemplateVars): Segment[] | { ok: false; error: TemplateError } {
  const segments: Segment[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const source = m[1] === 'settings' ? 'settings' : 'connection';
    const name = m[2] ?? '';
    const values = vars[source];
    // Own properties only: `{{settings.constructor}}` must not resolve to Object.prototype.
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return invalid(`missing value for ${m[0]}`);
    segments.push(
      { literal: template.slice(last, m.index) },
      { placeholder: { source, name }, raw: m[0], value },
    );
    last = m.index + m[0].length;
  }
  segments.push({ literal: template.slice(last) });
  return segments.filter((s) => !('literal' in s) || s.literal !== '');
}

function checkLiteralHost(
  template: string,
  segments: Segment[],
  rendered: string,
): Result<string, TemplateError> {
  const schemeEnd = template.indexOf('://') + 3;
  const authorityEnd = firstIndexOf(template, ['/', '?', '#'], schemeEnd);
  let offset = 0;
  let expected = '';
  for (const segment of segments) {
    const text = 'literal' in segment ? segment.literal : segment.raw;
    const start = offset;
    offset += text.length;
    if (start >= authorityEnd) break;
    if ('literal' in segment) {
      expected += segment.literal.slice(0, Math.max(0, authorityEnd - start));
    } else if (HOST_CHARS.test(segment.value)) {
      expected += segment.value;
    } else {
      return invalid(`${segment.raw} is used in a host and may only contain letters, digits, '.' and '-'`);
    }
  }
  const origin = originOf(expected);
  if (origin === undefined) return invalid(`${template} does not render to a valid URL`);
  return sameOrigin(rendered, origin) ? ok(rendered) : invalid(`${template} must stay on ${origin}`);
}

function parseBaseUrl(value: string): URL | undefined {
  if (/[\s?#]/.test(value) || !ABSOLUTE.test(value)) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url && url.username === '' && url.password === '' ? url : undefined;
}

function sameOrigin(candidate: string, origin: string, base?: string): boolean {
  if (/\s/.test(candidate) || !URL.canParse(candidate, base)) return false;
  const url = new URL(candidate, base);
  return url.origin === origin && url.username === '' && url.password === '';
}

function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

function firstIndexOf(text: string, needles: string[], from: number): number {
  const found = needles.map((n) => text.indexOf(n, from)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : text.length;
}

function invalid(message: string): { ok: false; error: TemplateError } {
  return err({ code: 'invalid_template_value', message });
}
