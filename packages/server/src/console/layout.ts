import { escapeHtml } from '../connect/pages.js';
import type { OperatorRole } from './roles.js';
import { type ConsoleSignIn, isInstanceAdmin } from './sessions.js';

export { escapeHtml };

/**
 * The console's Content-Security-Policy: scripts and styles only from our own files (no inline
 * script or style), no framing, forms only to us.
 */
export const consoleCsp = (
  formTargets: readonly string[] = [],
  /** Origins of images one page shows (a brand's logo in its preview); none elsewhere. */
  imgSources: readonly string[] = [],
): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self' data:", ...imgSources].join(' '),
    "connect-src 'self'",
    // A form's redirect is governed too: the single sign-on form goes on to the identity provider.
    ["form-action 'self'", ...formTargets].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

export const CONSOLE_CSP = consoleCsp();

export const ASSET_CSS = '/console/assets/console.css';
export const ASSET_JS = '/console/assets/console.js';

const NAV: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/console/users', label: 'Users' },
  { href: '/console/approvals', label: 'Approvals' },
  { href: '/console/policies', label: 'Policies' },
  { href: '/console/audit', label: 'Audit' },
  { href: '/console/usage', label: 'Usage' },
  { href: '/console/tools', label: 'Tools' },
  { href: '/console/keys', label: 'API keys' },
  { href: '/console/auth-configs', label: 'Auth configs' },
  { href: '/console/mcp', label: 'MCP servers' },
  { href: '/console/webhooks', label: 'Webhooks' },
  { href: '/console/operators', label: 'Operators' },
];

/** Only a session opened with the instance's admin token sees it: projects are the instance's. */
const PROJECTS_NAV = { href: '/console/projects', label: 'Projects' };

/** The links a session may follow: none of a project's pages before one is open. */
function navOf(session: ConsoleSignIn): ReadonlyArray<{ href: string; label: string }> {
  if (!isInstanceAdmin(session)) return NAV;
  return session.projectId === null ? [PROJECTS_NAV] : [PROJECTS_NAV, ...NAV];
}

/** A hidden CSRF field for a form of the signed-in console. */
export const csrfField = (session: ConsoleSignIn): string =>
  `<input type="hidden" name="csrf" value="${escapeHtml(session.csrf)}">`;

export const when = (d: Date | null): string =>
  d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/** A page of the console: skip link, navigation (current page marked), who is signed in, the body. */
export function consolePage(
  title: string,
  body: string,
  session: ConsoleSignIn | undefined,
  current?: string,
  notice?: Notice,
): string {
  const nav = session
    ? `<nav aria-label="Console"><ul>${navOf(session)
        .map(
          (n) =>
            `<li><a href="${n.href}"${n.href === current ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a></li>`,
        )
        .join('')}</ul>
<form method="post" action="/console/sign-out" class="signout">${csrfField(session)}
<span class="who">${escapeHtml(session.operatorName)} · <span class="role">${escapeHtml(roleLabel(session.role))}</span> · ${session.projectId === null ? 'no project open' : `<code>${escapeHtml(session.projectId)}</code>`}</span>
<button type="submit" class="link">Sign out</button></form></nav>`
    : '';
  const flash = notice
    ? `<div class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${escapeHtml(notice.text)}</div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Gatehouse console</title>
<link rel="stylesheet" href="${ASSET_CSS}"><script src="${ASSET_JS}" defer></script></head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="/console">Gatehouse console</a>${nav}</header>
<main id="main" tabindex="-1"><h1>${escapeHtml(title)}</h1>${flash}${body}</main></body></html>`;
}

export const roleLabel = (r: OperatorRole): string =>
  ({ viewer: 'viewer', operator: 'operator', admin: 'admin' })[r];

/** A table with a caption (for screen readers) and header cells with scope. */
export function table(
  caption: string,
  headers: string[],
  rows: string[][],
  empty = 'Nothing here yet.',
): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${headers
    .map((h) => `<th scope="col">${escapeHtml(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export const statusBadge = (status: string): string =>
  `<span class="badge s-${escapeHtml(status.toLowerCase())}">${escapeHtml(status)}</span>`;
