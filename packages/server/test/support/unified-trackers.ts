import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtInTaskMappings, builtInToolkits, type TaskMapping } from '@gatehouse/catalog';
import type { MockHandler } from '../../../catalog/test/support/openapi-mock.js';
import type { Db } from '../../src/store/db.js';
import { startTestGatehouse } from './gatehouse.js';

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
export const ASANA_TOOLS = [
  'asana.tasks.create',
  'asana.tasks.get',
  'asana.tasks.update',
  'asana.stories.create_comment',
];
export const TRELLO_TOOLS = [
  'trello.cards.create',
  'trello.cards.get',
  'trello.cards.update',
  'trello.cards.add_comment',
  'trello.lists.list_on_board',
];
export const LINEAR_TOOLS = [
  'linear.issues.create',
  'linear.issues.get',
  'linear.issues.update',
  'linear.comments.create',
  'linear.workflow_states.list',
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

/**
 * The shipped mapping of `source`, for tracker `x`: the operations its tools cover, renamed (and the
 * read of a task's project for policies, `taskProjectLookup`).
 */
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
  const lookup = mapping.taskProjectLookup;
  return {
    ...mapping,
    provider: `tracker-${x}`,
    toolkit: `tracker${x}`,
    operations,
    ...(lookup ? { taskProjectLookup: { ...lookup, tool: rename(lookup.tool) } } : {}),
  };
};

/** The handlers of a stateful upstream, each first noting its operation id in `seen`. */
/** A Gatehouse (refresher off) whose unified tasks also map onto `tracker-<x>` for each tracker given. */
export const startTrackerGatehouse = (
  db: Db,
  trackers: ReadonlyArray<{ x: string; source: string; slugs: readonly string[] }>,
) =>
  startTestGatehouse(
    db,
    { GATEHOUSE_REFRESHER_ENABLED: 'false' },
    {
      taskMappings: new Map([
        ...builtInTaskMappings(),
        ...trackers.map((k) => [`tracker-${k.x}`, trackerMapping(k.x, k.source, [...k.slugs])] as const),
      ]),
    },
  );

export const recording = (
  handlers: Record<string, MockHandler>,
  seen: string[],
): Record<string, MockHandler> =>
  Object.fromEntries(
    Object.entries(handlers).map(([operationId, handler]) => [
      operationId,
      (c: Parameters<MockHandler>[0]) => {
        seen.push(operationId);
        return handler(c);
      },
    ]),
  );

/**
 * A GraphQL upstream on loopback (Linear-shaped: every call posts to /graphql, errors come in a 200
 * answer as Linear's do), noting each document's operation name (`IssueUpdate`) in `seen`.
 */
export async function graphqlUpstream(
  answer: (body: unknown) => Promise<Record<string, unknown>>,
  seen: string[],
): Promise<{ base: string; stop: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { query?: string };
    seen.push(/^\s*(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? 'anonymous');
    res.writeHead(req.url === '/graphql' && req.method === 'POST' ? 200 : 404, {
      'content-type': 'application/json',
    });
    res.end(JSON.stringify(await answer(body)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
