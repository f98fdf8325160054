import type { Risk } from '@gatehouse/catalog';

/**
 * The scopes an MCP client can ask for. Reading and acting are separate so a client can start with
 * `tools:read` and step up (403 insufficient_scope) when the user asks it to change something.
 */
export const SCOPES = {
  'tools:read': 'See your tools and run the ones that only read data',
  'tools:write': 'Run tools that create, change or delete data on your behalf',
} as const;

export type Scope = keyof typeof SCOPES;
export const SUPPORTED_SCOPES = Object.keys(SCOPES) as Scope[];

export const isScope = (s: string): s is Scope => s in SCOPES;

/** The scope a tool call needs, from the tool's risk class. */
export const scopeForRisk = (risk: Risk | string): Scope => (risk === 'read' ? 'tools:read' : 'tools:write');

/** Whether granted scopes allow a tool of this risk (acting includes reading). */
export function allowsRisk(granted: ReadonlySet<string>, risk: Risk | string): boolean {
  return granted.has(scopeForRisk(risk)) || granted.has('tools:write');
}

/** RFC 6749 §3.3: space-delimited, order-insensitive. */
export function parseScope(value: string | undefined | null): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))];
}
