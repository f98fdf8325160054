import type { ProviderDefinition, ProviderGuide } from '@gatehouse/catalog';
import type { Branding } from '../auth-configs/store.js';
import { safeColor } from '../connect/pages.js';
import { contrastRatio, textColorOn } from '../shared/contrast.js';
import { escapeHtml } from './layout.js';

/** What the preview needs: the same inputs the hosted Connect page reads (connect/pages.ts). */
export interface PreviewInput {
  branding: Branding;
  /** The auth config's name: the Connect page's heading when the brand has no display name. */
  configName: string;
  providerName: string;
}

/** The logo only when it is an https URL, as the Connect page shows it. */
const logoOf = (b: Branding): string | undefined =>
  b.logoUrl?.startsWith('https://') ? b.logoUrl : undefined;

/** Origins a page must allow images from to show this preview's logo (its CSP `img-src`). */
export function previewImageSources(b: Branding): string[] {
  const logo = logoOf(b);
  if (!logo) return [];
  try {
    return [new URL(logo).origin];
  } catch {
    return []; // not a URL after all: the browser shows no logo, the CSP opens nothing
  }
}

/**
 * The Connect page's header and button as the end user will see them, drawn as SVG: the console's
 * CSP allows no inline style, and SVG presentation attributes are not styles. The button text
 * colour is the one the Connect page computes (`textColorOn`), and the contrast ratio is stated.
 * `data-preview` marks what console.js updates as the operator types.
 */
export function brandingPreview(p: PreviewInput): string {
  const accent = safeColor(p.branding.accentColor);
  const text = textColorOn(accent);
  const ratio = contrastRatio(accent, text);
  const name = p.branding.displayName ?? p.configName;
  const logo = logoOf(p.branding);
  const nameX = logo ? 72 : 20;
  const button = `Continue to ${p.providerName}`;
  return `<figure class="brand-preview" aria-labelledby="preview-caption">
<svg viewBox="0 0 360 170" width="360" height="170" role="img" aria-labelledby="preview-title" data-preview="svg">
<title id="preview-title">The Connect page header “${escapeHtml(name)}” and its button in ${escapeHtml(accent)} with ${escapeHtml(text)} text</title>
<rect x="0.5" y="0.5" width="359" height="169" rx="12" fill="#ffffff" stroke="#8a939e"/>
<image data-preview="logo" x="20" y="18" width="40" height="40"${logo ? ` href="${escapeHtml(logo)}"` : ' visibility="hidden"'}/>
<text data-preview="name" x="${nameX}" y="44" font-family="system-ui, sans-serif" font-size="17" font-weight="600" fill="#1d2129">${escapeHtml(name)}</text>
<text x="20" y="88" font-family="system-ui, sans-serif" font-size="15" fill="#1d2129">Connect your ${escapeHtml(p.providerName)} account</text>
<rect data-preview="button" x="20" y="110" width="320" height="42" rx="8" fill="${escapeHtml(accent)}"/>
<text data-preview="button-text" x="180" y="136" text-anchor="middle" font-family="system-ui, sans-serif" font-size="15" fill="${escapeHtml(text)}">${escapeHtml(button)}</text>
</svg>
<figcaption id="preview-caption">Preview of the Connect page: button <code data-preview="accent">${escapeHtml(accent)}</code>, text <code data-preview="text">${escapeHtml(text)}</code>, contrast <span data-preview="ratio">${ratio.toFixed(1)}:1</span> (WCAG AA needs 4.5:1).</figcaption>
</figure>`;
}

/** The provider's setup guide (`GET /v1/providers/{id}` → `guide`): where to register, the callback, the scopes. */
export function guideSection(g: ProviderGuide): string {
  const steps = g.steps.length
    ? `<ol>${g.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`
    : '<p class="muted">This provider has no registration steps of its own.</p>';
  const toolkits = g.toolkits
    .map(
      (t) =>
        `<li><strong>${escapeHtml(t.displayName)}</strong> (${t.tools} tools): ${t.scopes
          .map((s) => `<code>${escapeHtml(s.name)}</code>`)
          .join(' ')}</li>`,
    )
    .join('');
  return `<section class="guide" aria-labelledby="guide-h"><h2 id="guide-h">Set up ${escapeHtml(g.displayName)}</h2>
${g.consoleUrl ? `<p>Register the app at <a href="${escapeHtml(g.consoleUrl)}" rel="noreferrer">${escapeHtml(g.consoleUrl)}</a>.</p>` : ''}${steps}
${g.authType === 'oauth2' ? `<p>Register exactly this redirect URI: <code class="callback">${escapeHtml(g.callbackUrl)}</code></p>` : ''}
${toolkits ? `<h3>Scopes each toolkit needs</h3><ul>${toolkits}</ul>` : ''}
${g.notes ? `<p>${escapeHtml(g.notes)}</p>` : ''}${g.docsUrl ? `<p><a href="${escapeHtml(g.docsUrl)}" rel="noreferrer">Provider documentation</a></p>` : ''}</section>`;
}

/**
 * The scope ceiling as checkboxes over the provider's scope vocabulary, plus a field for scopes it
 * does not list. Nothing checked means no ceiling, which the legend says.
 */
export function ceilingFields(definition: ProviderDefinition, current: string[] | null): string {
  const vocabulary = definition.oauth2?.scopes ?? [];
  const known = new Set(vocabulary.map((s) => s.name));
  const chosen = new Set(current ?? []);
  const other = (current ?? []).filter((s) => !known.has(s)).join(' ');
  const boxes = vocabulary
    .map(
      (s, i) =>
        `<div class="check"><input type="checkbox" id="ceiling-${i}" name="allowedScopes" value="${escapeHtml(s.name)}"${chosen.has(s.name) ? ' checked' : ''}>
<label for="ceiling-${i}"><code>${escapeHtml(s.name)}</code> <span class="muted">${escapeHtml(s.description)}</span></label></div>`,
    )
    .join('');
  return `<fieldset><legend>Scope ceiling: connections may ask only for these scopes (none checked: no ceiling)</legend>${boxes}
<label for="ceiling-other">Other scopes, separated by spaces</label><input type="text" id="ceiling-other" name="otherScopes" value="${escapeHtml(other)}" size="50"></fieldset>`;
}

/**
 * One text field per provider setting (a tenant, a base URL), with its description as the hint. A
 * sensitive one is a password field that never carries a value back into the page.
 */
export function settingsFields(definition: ProviderDefinition, values: Record<string, string>): string {
  return Object.entries(definition.settings ?? {})
    .map(
      ([name, s]) =>
        `<label for="setting-${escapeHtml(name)}">${escapeHtml(name)}${s.required ? ' (required)' : ''}</label>
<input type="${s.sensitive ? 'password' : 'text'}" id="setting-${escapeHtml(name)}" name="setting_${escapeHtml(name)}" value="${escapeHtml(s.sensitive ? '' : (values[name] ?? s.default ?? ''))}" aria-describedby="setting-${escapeHtml(name)}-hint"${s.required ? ' required' : ''} size="50">
<p class="hint" id="setting-${escapeHtml(name)}-hint">${escapeHtml(s.description)}</p>`,
    )
    .join('');
}

const SCOPE = /^\S{1,200}$/;

/** The ceiling a form sent: checked scopes plus typed ones; `null` when none (no ceiling). */
export function ceilingOf(
  checked: string[],
  other: string | undefined,
): { ok: true; value: string[] | null } | { ok: false; problem: string } {
  const typed = (other ?? '').split(/\s+/).filter(Boolean);
  const all = [...new Set([...checked, ...typed])];
  const bad = all.find((s) => !SCOPE.test(s));
  if (bad !== undefined) return { ok: false, problem: `“${bad.slice(0, 60)}” is not a scope` };
  if (all.length > 200) return { ok: false, problem: 'at most 200 scopes' };
  return { ok: true, value: all.length ? all : null };
}

/** Branding fields as sent by the form: empty means "not set"; the colour and logo are checked. */
export function brandingOf(f: {
  displayName?: string | undefined;
  accentColor?: string | undefined;
  logoUrl?: string | undefined;
}): { ok: true; value: Branding } | { ok: false; problem: string } {
  const value: Branding = {};
  const name = f.displayName?.trim();
  if (name) value.displayName = name.slice(0, 100);
  const accent = f.accentColor?.trim();
  if (accent) {
    if (!/^#[0-9a-fA-F]{6}$/.test(accent))
      return { ok: false, problem: 'The accent colour must be #rrggbb.' };
    value.accentColor = accent;
  }
  const logo = f.logoUrl?.trim();
  if (logo) {
    let url: URL | undefined;
    try {
      url = new URL(logo);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') return { ok: false, problem: 'The logo must be an https URL.' };
    value.logoUrl = logo;
  }
  return { ok: true, value };
}
