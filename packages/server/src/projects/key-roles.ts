/**
 * What a project API key may do. `admin` manages the project (auth configs, providers, toolkits,
 * policies, limits, settings, keys, webhooks, MCP server profiles, account deletion) and decides
 * approvals; `runtime` is what an agent needs to act (connect links, discovery, execute, proxy,
 * reading accounts, its audit and usage, waiting on an approval). An admin key may do everything a
 * runtime key may; a runtime key can never decide an approval, change governance or mint keys.
 */
export const KEY_ROLES = ['admin', 'runtime'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** Whether a key of `role` may call an endpoint that needs `needed`. */
export const roleGrants = (role: KeyRole, needed: KeyRole): boolean => role === 'admin' || role === needed;

export const isKeyRole = (value: unknown): value is KeyRole =>
  typeof value === 'string' && (KEY_ROLES as readonly string[]).includes(value);
