/** OpenID Connect scopes handled by the authorization server itself. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Scopes of the Acme Tasks API (a resource server in RFC 8707 terms). */
export const TASKS_SCOPES = ['tasks:read', 'tasks:write', 'tasks:delete'] as const;
export type TasksScope = (typeof TASKS_SCOPES)[number];

export const ALL_SCOPES: readonly string[] = [...OIDC_SCOPES, ...TASKS_SCOPES];

/** What the consent page says for each scope. */
const descriptions: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay connected when you are not using the app',
  'tasks:read': "View your tasks and your team's shared tasks",
  'tasks:write': 'Create and edit your tasks',
  'tasks:delete': 'Delete your tasks',
};

export function describeScope(scope: string): string {
  return descriptions[scope] ?? scope;
}

/** Orders scopes the way they are listed above, unknown ones last; drops duplicates. */
export function orderScopes(scopes: Iterable<string>): string[] {
  const rank = (s: string) => {
    const i = ALL_SCOPES.indexOf(s);
    return i === -1 ? ALL_SCOPES.length : i;
  };
  return [...new Set(scopes)].sort((a, b) => rank(a) - rank(b));
}
