import { lookupArguments, lookupValue, unifiedTarget } from './map.js';
import type { TaskMapping } from './schema.js';

/** The provider read that finds a task's project: its tool and that tool's arguments. */
export interface TaskProjectRead {
  tool: string;
  arguments: Record<string, unknown>;
}

/**
 * The read policies need before they decide a call, if any: only for a call that names a task whose
 * id does not carry its project (no `projectId`, no `taskProject` match) on a provider whose mapping
 * declares `taskProjectLookup`. Undefined when the call's project is known, or it names no task.
 */
export function taskProjectRead(
  mapping: TaskMapping,
  args: Record<string, unknown>,
): TaskProjectRead | undefined {
  const lookup = mapping.taskProjectLookup;
  const target = unifiedTarget(mapping, args);
  if (!lookup || target.task === null || target.project !== null) return undefined;
  return { tool: lookup.tool, arguments: lookupArguments(mapping, lookup, args, {}) };
}

/**
 * The project `taskProjectLookup` takes from its tool's (shaped) output: a non-empty string (a
 * number's text). Undefined when the answer has none: the caller must not decide without it.
 */
export function taskProjectOf(
  mapping: TaskMapping,
  args: Record<string, unknown>,
  data: unknown,
): string | undefined {
  const lookup = mapping.taskProjectLookup;
  const value = lookup ? lookupValue(mapping, lookup, args, data) : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
