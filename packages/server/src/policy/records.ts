import type { BuiltInTool } from '@gatehouse/catalog';
import { cedarRecord, Unrepresentable } from './cedar-values.js';
import type { ProjectPolicies } from './engine.js';
import type { CedarRequest } from './request.js';
import { typesOf } from './schema.js';

/**
 * Record-level filtering. A tool that declares `records` in the catalog has each record of its
 * shaped output (each item of an array, or the object itself) checked before the agent sees it: the
 * call's own request, with the record as `context.record`. A record is dropped when an enforced
 * forbid policy matches it; a record that does not fit its declared type is dropped too (fail closed).
 */
export function recordRequests(
  base: CedarRequest,
  tool: BuiltInTool,
  records: readonly unknown[],
): Array<CedarRequest | undefined> {
  const declared = typesOf(tool).record ?? {};
  return records.map((record) => {
    if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
    try {
      const value = cedarRecord(declared, record as Record<string, unknown>, 'record');
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
  base: CedarRequest,
  tool: BuiltInTool,
  data: unknown,
): FilteredOutput {
  const unfiltered: FilteredOutput = { data, dropped: 0, hidden: false, shadowDropped: {} };
  if (!tool.tool.records || !policies.filtersRecords || data === null || data === undefined)
    return unfiltered;
  const single = !Array.isArray(data);
  const items: unknown[] = single ? [data] : (data as unknown[]);
  const requests = recordRequests(base, tool, items);
  const shadowDropped: Record<string, number> = {};
  const kept: unknown[] = [];
  requests.forEach((req, i) => {
    const decided = policies.recordDecision(req);
    for (const set of decided.shadowDrops) shadowDropped[set] = (shadowDropped[set] ?? 0) + 1;
    if (!decided.drop) kept.push(items[i]);
  });
  const dropped = items.length - kept.length;
  if (single) return { data: dropped ? null : data, dropped, hidden: dropped > 0, shadowDropped };
  return { data: kept, dropped, hidden: false, shadowDropped };
}
