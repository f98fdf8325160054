import { SCOPES } from '../authserver/scopes.js';

/**
 * What an exchanged token may do. `tools:read` and `tools:write` are the MCP scopes (a read tool
 * needs read, anything else write); `proxy` allows raw requests through `POST /v1/proxy`.
 * An exchange only ever narrows them (RFC 8693 §2.1 `scope`, RFC 6749 §3.3).
 */
export const DELEGATION_SCOPES = [...(Object.keys(SCOPES) as Array<keyof typeof SCOPES>), 'proxy'] as const;
export type DelegationScope = (typeof DELEGATION_SCOPES)[number];

export const isDelegationScope = (s: string): s is DelegationScope =>
  (DELEGATION_SCOPES as readonly string[]).includes(s);
