import { escapeHtml, layout, type PageFrame } from '../connect/pages.js';
import type { OAuthClientRecord } from './clients/client.js';
import { isScope, SCOPES } from './scopes.js';

export const frameFor = (serverName: string): PageFrame => ({
  title: serverName,
  appName: serverName,
  branding: {},
});

/** How a redirect URI is named to the user: its host, or its scheme for a native app. */
export function redirectHost(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : `${url.protocol}//`;
}

/** Where a form on the page may lead (CSP form-action also governs the redirects that follow a POST). */
export function formTargetOf(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/**
 * The consent screen: which client (its self-asserted name, marked as such, and where it publishes
 * its metadata), where the answer goes (the redirect URI's host), which user, and which scopes.
 */
export function consentPage(
  frame: PageFrame,
  v: {
    client: OAuthClientRecord;
    redirectUri: string;
    userId: string;
    scopes: string[];
    requestId: string;
    csrf: string;
    action: string;
  },
): string {
  const { client } = v;
  const name = client.name ?? 'An application without a name';
  const origin =
    client.kind === 'metadata_document'
      ? `identified by its metadata at <code>${escapeHtml(new URL(client.clientId).host)}</code>`
      : 'registered itself with this server; Gatehouse has not verified its name';
  const items = v.scopes.map(
    (s) =>
      `<li>${escapeHtml(isScope(s) ? SCOPES[s] : s)} <span class="muted">(<code>${escapeHtml(s)}</code>)</span></li>`,
  );
  return layout(
    frame,
    `<h1>Allow “${escapeHtml(name)}” to use your tools?</h1>
<p class="muted">This client ${origin}. Client id: <code>${escapeHtml(client.clientId)}</code></p>
<p>If you allow it, it will be able to:</p>
<ul>${items.join('')}</ul>
<p>You are signed in as <code>${escapeHtml(v.userId)}</code>. Your answer is sent to <strong>${escapeHtml(redirectHost(v.redirectUri))}</strong>.</p>
<p class="muted">Only allow this if you started connecting this client yourself.</p>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="request" value="${escapeHtml(v.requestId)}">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">
<button type="submit" name="decision" value="approve">Allow</button>
<p></p><button type="submit" name="decision" value="deny" class="secondary">Deny</button></form>`,
  );
}

/** Development sign-in: type the user id (never offered in production). */
export function devLoginPage(frame: PageFrame, v: { state: string; action: string }): string {
  return layout(
    frame,
    `<h1>Sign in (development)</h1>
<p class="muted">This server uses the development sign-in: anyone can type any user id. It is disabled in production.</p>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="state" value="${escapeHtml(v.state)}">
<p><label>User id <input name="userId" required maxlength="256" autocomplete="username"></label></p>
<button type="submit">Sign in</button></form>`,
  );
}

export function authErrorPage(frame: PageFrame, e: { error: string; description: string }): string {
  return layout(
    frame,
    `<h1>This request cannot continue</h1><p>${escapeHtml(e.description)}</p><p class="muted">Reason: <code>${escapeHtml(e.error)}</code></p>`,
  );
}
