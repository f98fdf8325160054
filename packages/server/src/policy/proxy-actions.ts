import type { ToolDefinition } from '@gatehouse/catalog';
import type { ToolEntry } from '../catalog/tool-catalog.js';

/**
 * A proxied request is governed as the action `proxy:<METHOD>`, in the risk group its method implies
 * and in `toolkit:proxy`, with `context.arguments` `{method, path, query}` (the path below the
 * provider's API base, the raw query string). The body reaches policies through the catalog tool the
 * request matches, if any: the proxy decides the request as that tool too.
 */
export const PROXY_METHOD_RISK = {
  GET: 'read',
  HEAD: 'read',
  POST: 'write',
  PUT: 'write',
  PATCH: 'write',
  DELETE: 'destructive',
} as const;

export type ProxyMethodName = keyof typeof PROXY_METHOD_RISK;

export const PROXY_TOOLKIT_ID = 'proxy';

const INPUT = {
  type: 'object',
  properties: {
    method: { type: 'string' },
    path: { type: 'string' },
    query: { type: 'string' },
  },
  required: ['method', 'path', 'query'],
  additionalProperties: false,
} as const;

function definition(method: ProxyMethodName): ToolDefinition {
  return {
    slug: `proxy:${method}`,
    name: `Proxy ${method}`,
    description: `A raw ${method} request to the connected account's provider API`,
    input: INPUT as unknown as ToolDefinition['input'],
    scopes: [],
    risk: PROXY_METHOD_RISK[method],
    idempotent: method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE',
    http: { method: method === 'HEAD' ? 'GET' : method, path: '/' },
    sensitiveArguments: [],
    costUnits: 1,
  };
}

const actions = new Map<string, ToolEntry>();

/**
 * The proxy action for one method, for an account of `provider`, charged `costUnits` per call. The
 * same object each time, so what is derived from it per tool (Cedar types) is derived once.
 */
export function proxyAction(method: ProxyMethodName, provider: string, costUnits: number): ToolEntry {
  const key = `${method} ${provider} ${costUnits}`;
  let action = actions.get(key);
  if (!action) {
    if (actions.size >= 10_000) actions.clear();
    action = {
      toolkit: { id: PROXY_TOOLKIT_ID, displayName: 'Proxy', provider, tools: [] },
      tool: { ...definition(method), costUnits },
    };
    actions.set(key, action);
  }
  return action;
}

/** Every proxy action, for the Cedar schema. */
export const PROXY_ACTIONS: readonly ToolEntry[] = (Object.keys(PROXY_METHOD_RISK) as ProxyMethodName[]).map(
  (m) => proxyAction(m, 'any', 1),
);
