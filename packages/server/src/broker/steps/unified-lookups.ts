import {
  buildRequest,
  encodeBody,
  lookupArguments,
  lookupValue,
  shapeOutput,
  withLookups,
} from '@gatehouse/catalog';
import { joinUrl } from '../../providers/provider-api.js';
import { decodeScrubbed } from '../http-body.js';
import { scrubberFor } from '../scrub.js';
import { type ExecutionContext, type Halt, refusal } from '../types.js';
import { type CallDeps, openApi } from './call-tool.js';
import { authorizationRequired } from './resolve-account.js';
import { type UnifiedDeps, unifiedCallOf } from './unified-tasks.js';

/**
 * Reads a provider needs before a unified call (Jira's transition to Done, Linear's completed state),
 * declared in its mapping as `lookups`. They run after policies allowed the call and the token is
 * fresh, on the same connection, with the lookup tool's scopes checked like the call's own; each
 * value fills an argument, and the call's request is built again with it. Audit lists them.
 */
export async function runLookups(
  ctx: ExecutionContext,
  d: CallDeps & UnifiedDeps,
): Promise<Halt | undefined> {
  const call = unifiedCallOf(ctx);
  const operation = call?.mapping.operations[call.operation];
  if (!call || !operation?.lookups?.length) return undefined;
  const looked: Record<string, unknown> = {};
  for (const lookup of operation.lookups) {
    const entry = await d.catalog.get(ctx.request.projectId, lookup.tool);
    if (!entry)
      return refusal({ code: 'tool_not_found', message: `lookup tool ${lookup.tool} is not in the catalog` });
    const granted = new Set(ctx.account!.scopes);
    const missing = ctx.auth?.provider.oauth2 ? entry.tool.scopes.filter((s) => !granted.has(s)) : [];
    if (missing.length > 0)
      return authorizationRequired(ctx, d, {
        reason: 'missing_scopes',
        scopes: missing,
        account: ctx.account!,
      });
    const args = lookupArguments(call.mapping, lookup, call.args, looked);
    const built = buildRequest(entry.tool, args);
    if (!built.ok)
      return refusal({ code: 'invalid_arguments', message: `${lookup.tool}: ${built.error.message}` });
    const url = urlFor(ctx, d, entry.toolkit.baseUrl, built.value.path);
    if (!url)
      return refusal({ code: 'invalid_arguments', message: `${lookup.tool}: path outside the provider API` });
    const api = openApi(ctx, d);
    const res = await api.request(
      { method: entry.tool.http.method, url, headers: built.value.headers, body: encodeBody(built.value) },
      { idempotent: true },
    );
    if (!res.ok) return refusal({ code: res.error.code, message: `${lookup.tool}: ${res.error.message}` });
    const body = decodeScrubbed(res.value, scrubberFor(ctx.secrets));
    if (res.value.status >= 400)
      return refusal({ code: 'upstream_error', message: `${lookup.tool} answered ${res.value.status}` });
    const value = lookupValue(lookup, shapeOutput(entry.tool, body, res.value.headers, args).data);
    if (value === undefined)
      return refusal({
        code: 'unsupported_operation',
        message: `${call.operation} on ${call.mapping.toolkit}: ${lookup.tool} found no ${lookup.name}`,
      });
    looked[lookup.name] = value;
  }
  const args = withLookups(call.mapping, operation, ctx.args!, looked);
  ctx.args = args;
  const rebuilt = buildRequest(ctx.tool!.tool, args);
  if (!rebuilt.ok) return refusal({ code: 'invalid_arguments', message: rebuilt.error.message });
  ctx.outgoing = { ...ctx.outgoing!, headers: rebuilt.value.headers, body: encodeBody(rebuilt.value) };
  const path = urlFor(ctx, d, ctx.tool!.toolkit.baseUrl, rebuilt.value.path);
  if (path) ctx.outgoing.url = path;
  ctx.notes.unified = {
    ...(ctx.notes.unified as Record<string, unknown>),
    lookups: operation.lookups.map((l) => l.tool),
  };
  return undefined;
}

/** The tool path under the toolkit's base URL (checked when the toolkit loaded) or the provider's. */
function urlFor(
  ctx: ExecutionContext,
  d: CallDeps,
  toolkitBase: string | undefined,
  path: string,
): URL | undefined {
  if (toolkitBase !== undefined) return joinUrl(toolkitBase.replace(/\/+$/, ''), path);
  const url = openApi(ctx, d).url(path);
  return url.ok ? url.value : undefined;
}
