import type { ProviderDefinition } from '@gatehouse/catalog';
import type { Branding } from '../auth-configs/store.js';
import { textColorOn } from '../shared/contrast.js';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The accent the hosted pages use: the brand's colour when it is one, else Gatehouse's blue. */
export const safeColor = (c: string | undefined): string =>
  c && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : '#3b5bdb';

export interface PageFrame {
  title: string;
  branding: Branding;
  appName: string;
}

/** Content-Security-Policy for hosted pages: no scripts, no framing, forms only to us and the provider. */
export function pageCsp(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    'img-src https: data:',
    `form-action 'self' ${formTargets.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The frame every hosted page shares (Connect Links, the MCP authorization server's sign-in and consent). */
export function layout(frame: PageFrame, body: string): string {
  const accent = safeColor(frame.branding.accentColor);
  const logo = frame.branding.logoUrl?.startsWith('https://')
    ? `<img class="logo" src="${escapeHtml(frame.branding.logoUrl)}" alt="" width="40" height="40">`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(frame.title)}</title>
<style>
  body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f6f8;color:#1d2129;margin:0}
  main{max-width:440px;margin:8vh auto;background:#fff;border-radius:12px;padding:32px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
  header{display:flex;align-items:center;gap:12px;margin-bottom:16px}.logo{border-radius:8px}
  h1{font-size:1.3rem;margin:0 0 12px}ul{padding-left:20px;line-height:1.6}.muted{color:#545c66;font-size:.9rem}
  button,.button{display:inline-block;background:${accent};color:${textColorOn(accent)};border:0;border-radius:8px;padding:12px 20px;
    font-size:1rem;cursor:pointer;text-decoration:none;width:100%;text-align:center;box-sizing:border-box}
  button.secondary{background:#5c6570;color:#fff}
  code{background:#f0f1f3;padding:1px 5px;border-radius:4px}
  label{font-weight:600}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:10px;
    font-size:1rem;border:1px solid #8a939e;border-radius:6px;margin-top:4px}
  [role=alert]{color:#a61b1b}
</style></head>
<body><main><header>${logo}<strong>${escapeHtml(frame.appName)}</strong></header>${body}
<p class="muted">Secured by Gatehouse: your password and tokens are never shown to ${escapeHtml(frame.appName)} or its AI agents.</p>
</main></body></html>`;
}

export function connectPage(
  frame: PageFrame,
  v: {
    provider: ProviderDefinition;
    scopes: string[];
    userId: string;
    linkId: string;
    key: string;
    label: string | null;
  },
): string {
  const vocabulary = new Map((v.provider.oauth2?.scopes ?? []).map((s) => [s.name, s.description]));
  const items = v.scopes.map(
    (s) =>
      `<li>${escapeHtml(vocabulary.get(s) ?? s)} <span class="muted">(<code>${escapeHtml(s)}</code>)</span></li>`,
  );
  return layout(
    frame,
    `<h1>Connect your ${escapeHtml(v.provider.displayName)} account</h1>
<p>${escapeHtml(frame.appName)} asks to act on your behalf in ${escapeHtml(v.provider.displayName)}${v.label ? ` (account “${escapeHtml(v.label)}”)` : ''}. It will be able to:</p>
<ul>${items.join('') || '<li>Confirm who you are</li>'}</ul>
<p class="muted">Connecting for user <code>${escapeHtml(v.userId)}</code>. You will sign in at ${escapeHtml(v.provider.displayName)} and can review this there.</p>
<form method="post" action="/connect/${escapeHtml(v.linkId)}/start">
<input type="hidden" name="key" value="${escapeHtml(v.key)}">
<button type="submit">Continue to ${escapeHtml(v.provider.displayName)}</button></form>`,
  );
}

export function successPage(frame: PageFrame, providerName: string): string {
  return layout(
    frame,
    `<h1>Connected</h1><p>Your ${escapeHtml(providerName)} account is now connected to ${escapeHtml(frame.appName)}.</p>
<p>You can close this window.</p>`,
  );
}

export function errorPage(
  frame: PageFrame,
  e: { code: string; message: string; returnUrl: string | undefined },
): string {
  const back = e.returnUrl
    ? `<p><a class="button" href="${escapeHtml(e.returnUrl)}">Return to ${escapeHtml(frame.appName)}</a></p>`
    : '';
  return layout(
    frame,
    `<h1>The connection did not complete</h1><p>${escapeHtml(e.message)}</p><p class="muted">Reason: <code>${escapeHtml(e.code)}</code></p>${back}`,
  );
}
