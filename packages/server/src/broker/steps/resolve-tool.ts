import { compileArgumentValidator } from '@gatehouse/catalog';
import type { ToolCatalog } from '../../catalog/tool-catalog.js';
import { type ExecutionContext, type Halt, rejection } from '../types.js';

export interface ToolDeps {
  catalog: ToolCatalog;
}

/** The tool exists in the project's catalog (built-in toolkits and its own). */
export async function resolveTool(ctx: ExecutionContext, d: ToolDeps): Promise<Halt | undefined> {
  const found = await d.catalog.get(ctx.request.projectId, ctx.request.slug);
  if (!found) return rejection('tool_not_found', `no tool named ${ctx.request.slug}`);
  ctx.tool = found;
  return undefined;
}

/** The arguments match the tool's JSON Schema (400 naming the failing path). */
export function validateArguments(ctx: ExecutionContext): Halt | undefined {
  const validated = compileArgumentValidator(ctx.tool!.tool)(ctx.request.arguments ?? {});
  if (!validated.ok)
    return rejection('invalid_arguments', validated.error.message, { issues: validated.error.issues });
  ctx.args = validated.value;
  return undefined;
}
