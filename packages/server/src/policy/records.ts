import type { ToolEntry } from '../catalog/tool-catalog.js';
import { cedarRecord, Unrepresentable } from './cedar-values.js';
import type { ProjectPolicies } from './engine.js';
import { type CedarRequest, type DecisionInput, EVERYTHING, type Vocabulary } from './request.js';
import { typesOf } from './schema.js';

/**
 * Record-level filtering. A tool that declares `records` in the catalog has each record of its
 * shaped output (each item of an array, or the object itself) checked before the agent sees it: the
 * call's own request, with the record as `context.record`. A record is dropped when an enforced
 * forbid policy matches it; a record that does not fit its declared type is dropped too (fail closed).
 */
export function recordRequests(
  base: CedarRequest,
  tool: ToolEntry,
  records: readonly unknown[],
  words: Vocabulary = EVERYTHING,
): Array<CedarRequest | undefined> {
  const declared = typesOf(tool).record ?? {};
  const keep = (name: string) => words.has(name);
  return records.map((record) => {
    if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
    try {
      const value = cedarRecord(declared, record as Record<string, unknown>, 'record', keep);
      return { ...base, context: { ...base.context, record: value } };
    } catch (err) {
      if (err instanceof Unrepresentable) return undefined;
      throw err;
    }
  });
}

export interface FilteredOutput {
  data: unknown;
  /** Records removed by enforced policies. */
  dropped: number;
  /** The whole answer was one record, and it was dropped. */
  hidden: boolean;
  /** Per shadow set: how many records it would have removed. */
  shadowDropped: Record<string, number>;
}

export function filterRecords(
  policies: ProjectPolicies,
  input: DecisionInput,
  data: unknown,
): FilteredOutput {
  const tool = input.tool;
  const unfiltered: FilteredOutput = { data, dropped: 0, hidden: false, shadowDropped: {} };
  if (!tool.tool.records || !policies.filtersRecords || data === null || data === undefined)
    return unfiltered;
  const single = !Array.isArray(data);
  const items: unknown[] = single ? [data] : (data as unknown[]);
  const { request, words } = policies.recordBase(input);
  const requests = recordRequests(request, tool, items, words);
  const shadowDropped: Record<string, number> = {};
  const kept: unknown[] = [];
  // Records that look the same to the policies (same mentioned attributes) get the same decision:
  // a page of tasks by a few owners costs a few evaluations, not one per task.
  const seen = new Map<string, ReturnType<ProjectPolicies['recordDecision']>>();
  requests.forEach((req, i) => {
    const key = req ? JSON.stringify(req.context.record) : '';
    let decided = seen.get(key);
    if (!decided) {
      decided = policies.recordDecision(req);
      seen.set(key, decided);
    }
    for (const set of decided.shadowDrops) shadowDropped[set] = (shadowDropped[set] ?? 0) + 1;
    if (!decided.drop) kept.push(items[i]);
  });
  const dropped = items.length - kept.length;
  if (single) return { data: dropped ? null : data, dropped, hidden: dropped > 0, shadowDropped };
  return { data: kept, dropped, hidden: false, shadowDropped };
}
