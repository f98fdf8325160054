import {
  buildRequest,
  encodeBody,
  lookupApplies,
  lookupArguments,
  lookupValue,
  readBackArguments,
  shapeOutput,
  withLookups,
} from '@gatehouse/catalog';
import { bodyError } from '../../providers/error-body.js';
import { joinUrl } from '../../providers/provider-api.js';
import { decodeScrubbed } from '../http-body.js';
import { scrubberFor } from '../scrub.js';
import { type ExecutionContext, type Halt, refusal } from '../types.js';
import { type CallDeps, openApi } from './call-tool.js';
import { authorizationRequired } from './resolve-account.js';
import { setReadBack, type UnifiedDeps, unifiedCallOf } from './unified-tasks.js';

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
  const operation = call?.providerOperation;
  if (!call || !operation?.lookups?.length) return undefined;
  const looked: Record<string, unknown> = {};
  const ran: string[] = [];
  for (const lookup of operation.lookups) {
    // A status change's lookups run only when the call changes the status.
    if (!lookupApplies(call.mapping, lookup, call.args)) continue;
    const read = await readWith(
      ctx,
      d,
      lookup.tool,
      lookupArguments(call.mapping, lookup, call.args, looked),
    );
    if ('halt' in read) return read.halt;
    const value = lookupValue(call.mapping, lookup, call.args, read.data);
    if (value === undefined)
      return refusal({
        code: 'unsupported_operation',
        message: `${call.operation} on ${call.mapping.toolkit}: ${lookup.tool} found no ${lookup.name}`,
      });
    looked[lookup.name] = value;
    ran.push(lookup.tool);
  }
  if (ran.length === 0) return undefined;
  const args = withLookups(call.mapping, operation, ctx.args!, looked);
  ctx.args = args;
  const rebuilt = buildRequest(ctx.tool!.tool, args);
  if (!rebuilt.ok) return refusal({ code: 'invalid_arguments', message: rebuilt.error.message });
  ctx.outgoing = { ...ctx.outgoing!, headers: rebuilt.value.headers, body: encodeBody(rebuilt.value) };
  const path = urlFor(ctx, d, ctx.tool!.toolkit.baseUrl, rebuilt.value.path);
  if (path) ctx.outgoing.url = path;
  ctx.notes.unified = { ...(ctx.notes.unified as Record<string, unknown>), lookups: ran };
  return undefined;
}

/**
 * A write whose answer has nothing to read (Jira answers edits and transitions with 204) is read back
 * with the mapping's `readBack` tool, on the same connection, once the write succeeded: the unified
 * object and `raw` come from that read. Audit names it. A failed read-back does not undo the write:
 * the call stays successful, with the write's own (empty) answer and what it sent.
 */
export async function readBack(ctx: ExecutionContext, d: CallDeps & UnifiedDeps): Promise<Halt | undefined> {
  const call = unifiedCallOf(ctx);
  const operation = call?.providerOperation;
  const args = call && operation ? readBackArguments(call.mapping, operation, call.args) : undefined;
  if (!call || !operation?.readBack || !args || !ctx.result?.successful) return undefined;
  // Record-level policies filter what a tool returns; a read-back is not filtered, so it is not made
  // where they could apply (the result is then the write's own answer).
  const entry = await d.catalog.get(ctx.request.projectId, operation.readBack.tool);
  if (entry?.tool.records && ctx.policy?.policies.enforcesRecords) {
    ctx.notes.unified = { ...(ctx.notes.unified as Record<string, unknown>), readBackSkipped: 'records' };
    return undefined;
  }
  const read = await readWith(ctx, d, operation.readBack.tool, args);
  ctx.notes.unified = {
    ...(ctx.notes.unified as Record<string, unknown>),
    readBack: operation.readBack.tool,
    ...('halt' in read ? { readBackFailed: true } : {}),
  };
  if (!('halt' in read)) setReadBack(ctx, read.data);
  return undefined;
}

/**
 * One read by a provider tool on the call's connection: its scopes checked like the call's own, its
 * request built, sent and its answer scrubbed and shaped. For lookups, read-backs and a task's project
 * (unified-project.ts). An error answer (a 4xx/5xx, or a 2xx the provider's errorBody marks failed, as
 * Linear's GraphQL errors) is a refusal, never data.
 */
export async function readWith(
  ctx: ExecutionContext,
  d: CallDeps & UnifiedDeps,
  slug: string,
  args: Record<string, unknown>,
): Promise<{ data: unknown } | { halt: Halt }> {
  const entry = await d.catalog.get(ctx.request.projectId, slug);
  if (!entry) return { halt: refusal({ code: 'tool_not_found', message: `${slug} is not in the catalog` }) };
  const granted = new Set(ctx.account!.scopes);
  const missing = ctx.auth?.provider.oauth2 ? entry.tool.scopes.filter((s) => !granted.has(s)) : [];
  if (missing.length > 0)
    return {
      halt: await authorizationRequired(ctx, d, {
        reason: 'missing_scopes',
        scopes: missing,
        account: ctx.account!,
      }),
    };
  const built = buildRequest(entry.tool, args);
  if (!built.ok)
    return { halt: refusal({ code: 'invalid_arguments', message: `${slug}: ${built.error.message}` }) };
  const url = urlFor(ctx, d, entry.toolkit.baseUrl, built.value.path);
  if (!url)
    return {
      halt: refusal({ code: 'invalid_arguments', message: `${slug}: path outside the provider API` }),
    };
  const res = await openApi(ctx, d).request(
    { method: entry.tool.http.method, url, headers: built.value.headers, body: encodeBody(built.value) },
    { idempotent: true },
  );
  if (!res.ok) return { halt: refusal({ code: res.error.code, message: `${slug}: ${res.error.message}` }) };
  const body = decodeScrubbed(res.value, scrubberFor(ctx.secrets));
  if (res.value.status >= 400)
    return { halt: refusal({ code: 'upstream_error', message: `${slug} answered ${res.value.status}` }) };
  const failed = bodyError(ctx.auth!.provider.definition.api.errorBody, body);
  if (failed !== undefined)
    return {
      halt: refusal({ code: 'upstream_error', message: `${slug} answered with an error: ${failed}` }),
    };
  return { data: shapeOutput(entry.tool, body, res.value.headers, args).data };
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
