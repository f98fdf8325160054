import { compileArgumentValidator, getBuiltInTool } from '@gatehouse/catalog';
import { type ExecutionContext, type Halt, rejection } from '../types.js';

/** 1. The tool exists in the catalog. */
export function resolveTool(ctx: ExecutionContext): Halt | undefined {
  const found = getBuiltInTool(ctx.request.slug);
  if (!found) return rejection('tool_not_found', `no tool named ${ctx.request.slug}`);
  ctx.tool = found;
  return undefined;
}

/** 2. The arguments match the tool's JSON Schema (400 naming the failing path). */
export function validateArguments(ctx: ExecutionContext): Halt | undefined {
  const validated = compileArgumentValidator(ctx.tool!.tool)(ctx.request.arguments ?? {});
  if (!validated.ok)
    return rejection('invalid_arguments', validated.error.message, { issues: validated.error.issues });
  ctx.args = validated.value;
  return undefined;
}
