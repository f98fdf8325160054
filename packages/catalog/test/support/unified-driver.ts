import {
  buildRequest,
  compileArgumentValidator,
  encodeBody,
  fromProviderResult,
  lookupApplies,
  lookupArguments,
  lookupValue,
  readBackArguments,
  shapeOutput,
  type TaskMapping,
  type ToolDefinition,
  type Toolkit,
  taskProjectOf,
  taskProjectRead,
  toProviderCall,
  type UnifiedOperation,
  unifiedTarget,
  withLookups,
} from '../../src/index.js';

/** Sends one provider tool call upstream and returns its raw answer (throws on a non-2xx). */
export type Send = (
  tool: ToolDefinition,
  request: { method: string; path: string; headers: Record<string, string>; body: string | undefined },
) => Promise<{ status: number; body: unknown; headers: Record<string, string> }>;

/**
 * One unified call the way the broker runs it, minus governance: map the arguments, validate them
 * against the provider tool's schema, build its HTTP request, send it, shape the answer, map it back.
 */
export async function unifiedCall(
  mapping: TaskMapping,
  toolkit: Toolkit,
  op: UnifiedOperation,
  args: Record<string, unknown>,
  send: Send,
): Promise<{ unified: Record<string, unknown>; unsupported: string[]; raw: unknown; tool: string }> {
  const call = toProviderCall(mapping, op, args);
  if (!call.ok) throw new Error(call.error.message);
  const toolOf = (slug: string) => {
    const found = toolkit.tools.find((t) => t.slug === slug);
    if (!found) throw new Error(`${slug} is not in ${toolkit.id}`);
    return found;
  };
  const tool = toolOf(call.value.operation.tool);
  const valid = compileArgumentValidator(tool)(call.value.arguments);
  if (!valid.ok) throw new Error(`${tool.slug}: ${valid.error.message}`);
  const looked: Record<string, unknown> = {};
  for (const lookup of call.value.operation.lookups ?? []) {
    if (!lookupApplies(mapping, lookup, args)) continue;
    const lookupTool = toolOf(lookup.tool);
    const lookupArgs = lookupArguments(mapping, lookup, args, looked);
    const data = (await sendTool(lookupTool, lookupArgs, send)).data;
    looked[lookup.name] = lookupValue(mapping, lookup, args, data);
  }
  const providerArgs = withLookups(mapping, call.value.operation, valid.value, looked);
  const shaped = await sendTool(tool, providerArgs, send);
  // A write with nothing to read (Jira's 204) is read back; the unified object and raw come from it.
  const readBackArgs = readBackArguments(mapping, call.value.operation, args);
  const raw = readBackArgs
    ? (await sendTool(toolOf(call.value.operation.readBack!.tool), readBackArgs, send)).data
    : shaped.data;
  const unified = fromProviderResult(mapping, op, {
    operation: call.value.operation,
    data: raw,
    providerArgs,
    unifiedArgs: args,
    unsupported: call.value.unsupported,
    readBack: readBackArgs !== undefined,
  }) as Record<string, unknown>;
  return { unified, unsupported: call.value.unsupported, raw, tool: tool.slug };
}

/**
 * The project policies see for a call naming only a task: from the id (`taskProject`), or read with
 * the mapping's `taskProjectLookup` as the broker reads it before policies decide. `read`: whether it
 * took a provider call.
 */
export async function unifiedTaskProject(
  mapping: TaskMapping,
  toolkit: Toolkit,
  args: Record<string, unknown>,
  send: Send,
): Promise<{ project: string | null; read: boolean }> {
  const read = taskProjectRead(mapping, args);
  if (!read) return { project: unifiedTarget(mapping, args).project, read: false };
  const tool = toolkit.tools.find((t) => t.slug === read.tool);
  if (!tool) throw new Error(`${read.tool} is not in ${toolkit.id}`);
  const data = (await sendTool(tool, read.arguments, send)).data;
  return { project: taskProjectOf(mapping, args, data) ?? null, read: true };
}

async function sendTool(tool: ToolDefinition, args: Record<string, unknown>, send: Send) {
  const built = buildRequest(tool, args);
  if (!built.ok) throw new Error(built.error.message);
  const res = await send(tool, {
    method: built.value.method,
    path: built.value.path,
    headers: built.value.headers,
    body: encodeBody(built.value),
  });
  if (res.status >= 300) throw new Error(`${tool.slug}: upstream ${res.status} ${JSON.stringify(res.body)}`);
  return shapeOutput(tool, res.body, res.headers, args);
}
