import {
  compileArgumentValidator,
  fromProviderResult,
  type OperationMapping,
  type TaskMapping,
  toProviderCall,
  UNIFIED_TOOLKIT_ID,
  type UnifiedOperation,
  unifiedOperationOf,
  unifiedTarget,
} from '@gatehouse/catalog';
import type { ConnectedAccount } from '../../accounts/store.js';
import type { ToolEntry } from '../../catalog/tool-catalog.js';
import { done, type ExecutionContext, type Halt, refusal, rejection } from '../types.js';
import type { AccountDeps } from './resolve-account.js';
import type { ToolDeps } from './resolve-tool.js';

export interface UnifiedDeps extends ToolDeps, AccountDeps {
  /** Each ticketing provider's mapping, by provider id (catalog `unified/tasks/*.json`). */
  taskMappings: ReadonlyMap<string, TaskMapping>;
}

/** What a unified call became, for the result step and the audit record. */
export interface UnifiedCall {
  tool: ToolEntry;
  operation: UnifiedOperation;
  /** The provider operation that runs it (a status-only update may have its own). */
  providerOperation: OperationMapping;
  args: Record<string, unknown>;
  mapping: TaskMapping;
  unsupported: string[];
}

const calls = new WeakMap<ExecutionContext, UnifiedCall>();
const readBacks = new WeakMap<ExecutionContext, { data: unknown }>();

/** What the mapping's read-back tool returned after the write (see `readBack`). */
export const setReadBack = (ctx: ExecutionContext, data: unknown): void => {
  readBacks.set(ctx, { data });
};

/** The unified call this execution runs, if it is one. */
export const unifiedCallOf = (ctx: ExecutionContext): UnifiedCall | undefined => calls.get(ctx);

/**
 * A unified tool (`unified.tasks.create`) becomes its provider tool's call, and the rest of the
 * pipeline runs that tool: its scopes, the account, policies, approvals, limits, the upstream call.
 * Policies decide the call as the provider tool and also as the unified action (one policy on
 * `unified.tasks.close` governs every provider); audit records both names.
 */
export async function resolveUnified(ctx: ExecutionContext, d: UnifiedDeps): Promise<Halt | undefined> {
  const unified = ctx.tool!;
  const op = unified.toolkit.id === UNIFIED_TOOLKIT_ID ? unifiedOperationOf(unified.tool.slug) : undefined;
  if (!op) return undefined;
  const chosen = await chooseMapping(ctx, d);
  if ('halt' in chosen) return chosen.halt;
  const mapping = chosen.mapping;
  const args = ctx.args!;
  const call = toProviderCall(mapping, op, args);
  if (!call.ok)
    return call.error.code === 'unsupported_operation'
      ? refusal({ code: 'unsupported_operation', message: call.error.message })
      : rejection('invalid_arguments', call.error.message);
  const provider = await d.catalog.get(ctx.request.projectId, call.value.operation.tool);
  if (!provider)
    return refusal({
      code: 'tool_not_found',
      message: `${call.value.operation.tool} (${op} for ${mapping.toolkit}) is not in this project's catalog`,
    });
  const validated = compileArgumentValidator(provider.tool)(call.value.arguments);
  if (!validated.ok)
    return rejection('invalid_arguments', `as ${provider.tool.slug}: ${validated.error.message}`, {
      issues: validated.error.issues,
    });
  calls.set(ctx, {
    tool: unified,
    operation: op,
    providerOperation: call.value.operation,
    args,
    mapping,
    unsupported: call.value.unsupported,
  });
  ctx.tool = provider;
  ctx.args = validated.value;
  // Decided on a provider-neutral Task: its project and id as the unified call names them.
  const target = unifiedTarget(mapping, args);
  ctx.alsoGovernedAs = [
    { tool: unified, args, task: { toolkit: mapping.toolkit, project: target.project, id: target.task } },
  ];
  ctx.notes.unified = {
    tool: unified.tool.slug,
    providerTool: provider.tool.slug,
    provider: mapping.provider,
    ...(call.value.unsupported.length > 0 ? { unsupported: call.value.unsupported } : {}),
  };
  return undefined;
}

/**
 * The unified object (or `{ items }`) read from the provider tool's shaped, record-filtered output,
 * with what the provider could not represent (`unsupported`) and that output itself (`raw`).
 */
export function unifyResult(ctx: ExecutionContext): Halt {
  const call = calls.get(ctx);
  const result = ctx.result;
  if (!call || !result?.successful) return done;
  const readBack = readBacks.get(ctx);
  const raw = readBack ? readBack.data : result.data;
  const unified = fromProviderResult(call.mapping, call.operation, {
    operation: call.providerOperation,
    data: raw,
    providerArgs: ctx.args!,
    unifiedArgs: call.args,
    unsupported: call.unsupported,
    readBack: readBack !== undefined,
  });
  ctx.result = {
    ...result,
    data: {
      ...(unified as Record<string, unknown>),
      provider: call.mapping.toolkit,
      unsupported: call.unsupported,
      raw,
    },
  };
  return done;
}

type Chosen = { mapping: TaskMapping } | { halt: Halt };

/**
 * Which ticketing connection acts: the named account's provider, the `provider` argument (a toolkit id
 * such as `jira`, or a provider id), or the only ticketing provider the user has connected. Several
 * accounts of that provider are then resolveAccount's choice (connectedAccountId, or a clear error).
 */
async function chooseMapping(ctx: ExecutionContext, d: UnifiedDeps): Promise<Chosen> {
  const { projectId, userId, connectedAccountId, groupId } = ctx.request;
  const all = [...d.taskMappings.values()];
  const supported = all.map((m) => m.toolkit).join(', ');
  if (connectedAccountId) {
    const account = await d.accounts.get(projectId, connectedAccountId);
    // Someone else's account is not found here either; resolveAccount repeats the ownership check.
    const mapping = account ? d.taskMappings.get(account.providerId) : undefined;
    if (!account)
      return { halt: rejection('not_found', `connected account ${connectedAccountId} not found`) };
    if (!mapping)
      return {
        halt: rejection(
          'account_provider_mismatch',
          `${account.id} is a ${account.providerId} account; unified tasks work with ${supported}`,
        ),
      };
    return { mapping };
  }
  const named = ctx.args?.provider;
  if (typeof named === 'string') {
    const mapping = all.find((m) => m.toolkit === named || m.provider === named);
    return mapping
      ? { mapping }
      : { halt: rejection('invalid_arguments', `provider ${named} is not one of ${supported}`) };
  }
  const connected: Array<{ mapping: TaskMapping; accounts: ConnectedAccount[] }> = [];
  for (const mapping of all) {
    const accounts = await d.accounts.forUserAndProvider(projectId, userId, mapping.provider, groupId);
    if (accounts.length > 0) connected.push({ mapping, accounts });
  }
  const only = connected[0];
  if (connected.length === 1 && only) return { mapping: only.mapping };
  if (connected.length === 0)
    return {
      halt: refusal({
        code: 'no_connection',
        message: `${userId} has no ticketing connection; connect one of ${supported}`,
        details: { providers: all.map((m) => m.toolkit) },
      }),
    };
  return {
    halt: rejection(
      'ambiguous_account',
      `${userId} has several ticketing connections (${connected.map((c) => c.mapping.toolkit).join(', ')}); pass provider or connectedAccountId`,
      {
        candidates: connected.flatMap((c) =>
          c.accounts.map((a) => ({
            provider: c.mapping.toolkit,
            id: a.id,
            label: a.label,
            status: a.status,
          })),
        ),
      },
    ),
  };
}
