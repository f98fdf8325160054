import type { BrokerDeps } from './execute.js';
import type { ProxySettingsStore } from './proxy-settings.js';
import { claimIdempotencyKey, type Door, newContext, type Outcome, runGoverned } from './runner.js';
import { checkDelegatedProxy } from './steps/check-delegation.js';
import { checkLimits } from './steps/check-limits.js';
import { checkPolicy } from './steps/check-policy.js';
import { guardUnseen } from './steps/governed-as.js';
import { acquireProxyToken, forwardRequest, shapeResponse } from './steps/proxy-forward.js';
import { checkProxyOpen, loadAccount, resolveTarget } from './steps/proxy-target.js';
import type { Halt, ProxyContext, ProxyRequest, ProxyResponse } from './types.js';

export interface ProxyDeps extends BrokerDeps {
  proxySettings: ProxySettingsStore;
}

/** A repeated idempotency key replays the stored response without reaching the upstream again. */
const claimKey = (ctx: ProxyContext, d: ProxyDeps): Promise<Halt | undefined> => {
  const { connectedAccountId, method, path, query, headers, body } = ctx.request;
  return claimIdempotencyKey(
    ctx,
    d,
    ['proxy', connectedAccountId, method, path, query ?? {}, headers ?? {}, body ?? null],
    (c, stored) => {
      c.response = stored as ProxyResponse;
      return c.response.executionId;
    },
  );
};

/**
 * A raw request to the provider's API with the account's token injected, governed like a tool call:
 * the same policies (as `proxy:<METHOD>`, and as any catalog tool the request is the call of),
 * approvals, rate limits, budgets, idempotency keys and audit. Only the provider's base URL is
 * reachable: the path is relative and cannot climb out of it, and redirects are not followed.
 */
const PROXY_STEPS = [
  checkProxyOpen, //     the project allows the proxy at all
  loadAccount, //        the connected account acts, for its user
  checkDelegatedProxy, // an exchanged token: its user's account, and the proxy scope
  resolveTarget, //      the URL under the API base; governed as proxy:<METHOD> and matching tools
  claimKey, //           idempotency: a repeated key replays the stored response
  guardUnseen, //        a body or records policies cannot see do not pass
  checkPolicy, //        Cedar policies: allow, deny, or approval required
  checkLimits, //        rate limits and budgets; charges the proxy's cost units
  acquireProxyToken, //  a fresh access token, refreshed under lock if needed
  forwardRequest, //     the call, with timeouts, retries and one refresh on 401
  shapeResponse, //      allow-listed headers, the body, secrets scrubbed
] as const;

const PROXY: Door<ProxyContext, ProxyResponse, ProxyDeps> = {
  kind: 'proxy.request',
  steps: PROXY_STEPS,
  output: (ctx) => ctx.response!,
  refused: (ctx, error) => ({ kind: 'rejected', error, executionId: ctx.executionId }),
  toolSlug: (ctx) => ctx.tool?.tool.slug ?? null,
  detail: (ctx) => ({ method: ctx.request.method, path: ctx.request.path.split('?')[0] }),
  count: (ctx, outcome, _latencyMs, d) => {
    d.metrics.proxyRequests.inc({ provider: ctx.auth?.provider.id ?? 'unknown', outcome });
  },
};

export function proxy(req: ProxyRequest, d: ProxyDeps): Promise<Outcome<ProxyResponse>> {
  return runGoverned(PROXY, newContext(req) as ProxyContext, d);
}
