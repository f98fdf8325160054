import { readFileSync } from 'node:fs';
import { builtInTaskMappings, builtInToolkits, type TaskMapping } from '@gatehouse/catalog';

// Trackers for the unified tasks server tests. Built-in providers call their public hosts, so custom
// providers stand in: `tracker-<x>` whose custom toolkit is a shipped toolkit's tools (slugs renamed)
// and whose mapping is the shipped one pointed at those tools.

export const sliceOf = (id: string) =>
  JSON.parse(
    readFileSync(
      new URL(`../../../catalog/toolkits/sources/slices/${id}.openapi.json`, import.meta.url),
      'utf8',
    ),
  );
export const GITHUB_TOOLS = [
  'github.issues.create',
  'github.issues.get',
  'github.issues.update',
  'github.issues.list_for_repo',
  'github.issues.create_comment',
];
export const JIRA_TOOLS = [
  'jira.issues.create',
  'jira.issues.get',
  'jira.issues.edit',
  'jira.issues.list_transitions',
  'jira.issues.transition',
];
/** A shipped toolkit's tools (these slugs) as a custom toolkit of tracker `x`. */
export const trackerToolkit = (x: string, source: string, slugs: string[]) => ({
  id: `tracker${x}`,
  displayName: `Tracker ${x.toUpperCase()}`,
  provider: `tracker-${x}`,
  tools: builtInToolkits()
    .get(source)!
    .tools.filter((t) => slugs.includes(t.slug))
    .map((t) => ({ ...t, slug: t.slug.replace(`${source}.`, `tracker${x}.`) })),
});

type Operation = TaskMapping['operations'][keyof TaskMapping['operations']] & {};

/** Every tool an operation (its lookups, read-back and status-only variant) calls. */
const toolsOf = (op: Operation): string[] => [
  op.tool,
  ...(op.lookups ?? []).map((l) => l.tool),
  ...(op.readBack ? [op.readBack.tool] : []),
  ...(op.statusOnly ? toolsOf(op.statusOnly) : []),
];

/** The shipped mapping of `source`, for tracker `x`: the operations its tools cover, renamed. */
export const trackerMapping = (x: string, source: string, slugs: string[]): TaskMapping => {
  const mapping = [...builtInTaskMappings().values()].find((m) => m.toolkit === source)!;
  const rename = (slug: string) => slug.replace(`${source}.`, `tracker${x}.`);
  const renamed = (op: Operation): Operation => ({
    ...op,
    tool: rename(op.tool),
    ...(op.lookups ? { lookups: op.lookups.map((l) => ({ ...l, tool: rename(l.tool) })) } : {}),
    ...(op.readBack ? { readBack: { ...op.readBack, tool: rename(op.readBack.tool) } } : {}),
    ...(op.statusOnly ? { statusOnly: renamed(op.statusOnly) } : {}),
  });
  const operations = Object.fromEntries(
    Object.entries(mapping.operations)
      .filter(([, op]) => toolsOf(op).every((t) => slugs.includes(t)))
      .map(([name, op]) => [name, renamed(op)]),
  );
  return { ...mapping, provider: `tracker-${x}`, toolkit: `tracker${x}`, operations };
};
