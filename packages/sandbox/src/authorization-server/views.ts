import { describeScope } from '../scopes.js';

/** Server-rendered pages of the Acme sign-in flow. Plain HTML forms, no JavaScript. */

export interface LoginView {
  action: string;
  clientName: string;
  username?: string;
  error?: string;
}

export function loginPage(view: LoginView): string {
  return layout(
    'Sign in to Acme',
    `<p>to continue to <strong>${escapeHtml(view.clientName)}</strong></p>
    ${view.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(view.error)}</p>`}
    <form method="post" action="${escapeHtml(view.action)}">
      <label>Username <input name="username" autocomplete="username" value="${escapeHtml(view.username ?? '')}" required autofocus></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

export interface ConsentView {
  action: string;
  clientName: string;
  userName: string;
  scopes: readonly string[];
}

export function consentPage(view: ConsentView): string {
  const items = view.scopes.map(
    (s) => `<li>${escapeHtml(describeScope(s))} <code>${escapeHtml(s)}</code></li>`,
  );
  return layout(
    'Allow access?',
    `<p><strong>${escapeHtml(view.clientName)}</strong> wants to access your Acme account (${escapeHtml(view.userName)}):</p>
    <ul>${items.join('')}</ul>
    <form method="post" action="${escapeHtml(view.action)}">
      <button type="submit" name="decision" value="approve">Allow</button>
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    </form>`,
  );
}

export function errorPage(details: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(details).map(
    ([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`,
  );
  return layout('Something went wrong', `<dl>${rows.join('')}</dl>`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Acme (Gatehouse sandbox)</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
    main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
    label { display: block; margin: 0.75rem 0; }
    input { display: block; width: 100%; box-sizing: border-box; padding: 0.5rem; margin-top: 0.25rem; }
    button { padding: 0.5rem 1.25rem; margin-right: 0.5rem; border: 0; border-radius: 4px; background: #3457d5; color: #fff; }
    button.secondary { background: #e3e5ea; color: #222; }
    .error { color: #b00020; }
    code { color: #666; font-size: 0.85em; }
  </style>
</head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>
</html>`;
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
