import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtInTaskMappings,
  builtInToolkits,
  taskMappingSchema,
  UNIFIED_OPERATIONS,
  unifiedTasksToolkit,
} from '../src/index.js';
import { linearUpstream } from './support/linear-upstream.js';
import { type MockHandler, OpenApiMockUpstream } from './support/openapi-mock.js';
import { asanaTasks, githubIssues, jiraIssues, trelloCards } from './support/task-upstreams.js';
import { type Send, unifiedCall, unifiedTaskProject } from './support/unified-driver.js';

// The unified tasks contract: the same scenario (create, list, update, comment, close) against a
// local upstream per provider, generated from that provider's API document (openapi-backend routes
// and validates every request against the slice; answers are sampled from the response schema with
// a small task store's values on top, and checked against the response schema). The unified results
// must be identical apart from `raw` and the provider's own ids and URLs.

const mappings = builtInTaskMappings();
const toolkits = builtInToolkits();
const sliceFile = (id: string) => new URL(`../toolkits/sources/slices/${id}.openapi.json`, import.meta.url);

interface Contract {
  toolkit: string;
  projectId: string;
  handlers?: () => Record<string, MockHandler>;
  /** A GraphQL upstream instead of an OpenAPI slice (Linear). */
  graphql?: () => (body: unknown) => Promise<Record<string, unknown>>;
  /** Credential query parameters the document declares (the broker's credential stands in upstream). */
  credentialQuery?: Record<string, string>;
  /**
   * What `update` with `status: in_progress` does: the one place providers differ, because only
   * some of them have an in-progress state (the README's mapping table). Not part of the scenario.
   */
  inProgress: { status: string; unsupported: string[] };
}

const DESCRIPTION = 'Steps: open /login in Safari 17';
const NO_IN_PROGRESS = { status: 'open', unsupported: ['status=in_progress'] };

const CONTRACTS: Contract[] = [
  {
    toolkit: 'linear',
    projectId: 'team-eng',
    graphql: linearUpstream,
    inProgress: { status: 'in_progress', unsupported: [] },
  },
  { toolkit: 'github', projectId: 'octo/app', handlers: githubIssues, inProgress: NO_IN_PROGRESS },
  {
    toolkit: 'jira',
    projectId: 'ENG',
    handlers: jiraIssues,
    // A status-only update is a transition (statusOnly): its lookup finds the one to In Progress.
    inProgress: { status: 'in_progress', unsupported: [] },
  },
  {
    toolkit: 'asana',
    projectId: '1200000000000001',
    handlers: asanaTasks,
    inProgress: NO_IN_PROGRESS,
  },
  {
    toolkit: 'trello',
    projectId: '5abbe4b7ddc1b351ef961414',
    handlers: trelloCards,
    credentialQuery: { key: 'x', token: 'x' },
    inProgress: NO_IN_PROGRESS,
  },
];

/** Providers whose toolkit, slice and stateful upstream exist on this branch. */
const runnable = CONTRACTS.filter(
  (c) =>
    toolkits.has(c.toolkit) &&
    (c.graphql !== undefined || (existsSync(sliceFile(c.toolkit)) && c.handlers !== undefined)),
);
const upstream = new OpenApiMockUpstream();
let base = '';

beforeAll(async () => {
  for (const c of runnable.filter((r) => r.handlers))
    upstream.add(c.toolkit, JSON.parse(readFileSync(sliceFile(c.toolkit), 'utf8')), c.handlers!());
  base = await upstream.start();
});
afterAll(() => upstream.stop());

const sendTo =
  (id: string, credentialQuery: Record<string, string> = {}): Send =>
  async (_tool, req) => {
    const url = new URL(`${base}/${id}${req.path}`);
    for (const [k, v] of Object.entries(credentialQuery)) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text === '' ? null : JSON.parse(text),
      headers: Object.fromEntries(res.headers),
    };
  };

/** Every Linear tool posts to /graphql; an `errors` answer is a failed call (Linear's api.errorBody). */
const sendGraphql =
  (answer: (body: unknown) => Promise<Record<string, unknown>>): Send =>
  async (tool, req) => {
    if (req.method !== 'POST' || req.path !== '/graphql')
      throw new Error(`${tool.slug}: ${req.method} ${req.path}`);
    const body = await answer(JSON.parse(req.body ?? '{}'));
    if (body.errors) return { status: 400, body, headers: {} };
    return { status: 200, body, headers: { 'content-type': 'application/json' } };
  };

/** The scenario, as the unified results an agent sees (provider ids and URLs replaced by names). */
async function scenario(c: Contract): Promise<unknown[]> {
  const mapping = [...mappings.values()].find((m) => m.toolkit === c.toolkit)!;
  const toolkit = toolkits.get(c.toolkit)!;
  const send = c.graphql ? sendGraphql(c.graphql()) : sendTo(c.toolkit, c.credentialQuery);
  const call = (op: (typeof UNIFIED_OPERATIONS)[number], args: Record<string, unknown>) =>
    unifiedCall(mapping, toolkit, op, args, send);
  const created = await call('tasks.create', {
    projectId: c.projectId,
    title: 'Login fails on Safari',
    description: DESCRIPTION,
  });
  const id = created.unified.id as string;
  expect(id, 'the created task has an id').toEqual(expect.any(String));
  const names = new Map<string, string>([
    [id, '<task>'],
    [c.projectId, '<project>'],
  ]);
  const steps = [
    async () => created,
    () => call('tasks.list', { projectId: c.projectId }),
    () => call('tasks.update', { id, title: 'Login fails on Safari 17' }),
    () => call('tasks.comment', { id, body: 'Reproduced on 17.2' }),
    () => call('tasks.close', { id }),
    () => call('tasks.get', { id }),
    () => call('tasks.list', { projectId: c.projectId, status: 'done' }),
  ];
  const transcript = [];
  for (const step of steps) transcript.push(await step());
  return transcript.map((step) => normalize({ ...step.unified, unsupported: step.unsupported }, names));
}

/** Ids and URLs are the provider's own: named, so everything else can be compared exactly. */
function normalize(value: unknown, names: Map<string, string>, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, names));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, names, k)]));
  if (typeof value === 'string' && names.has(value)) return names.get(value);
  if (key === 'url' && typeof value === 'string') return '<url>';
  if (key === 'id' && typeof value === 'string') return '<comment>';
  return value;
}

describe('unified tasks: mappings and tools', () => {
  it('every mapping file validates, names tools of its toolkit, and the seven tools are one toolkit', () => {
    expect(unifiedTasksToolkit().tools.map((t) => t.slug)).toEqual(
      UNIFIED_OPERATIONS.map((o) => `unified.${o}`),
    );
    expect([...mappings.values()].map((m) => m.toolkit).sort()).toEqual([
      'asana',
      'github',
      'jira',
      'linear',
      'trello',
    ]);
    for (const m of mappings.values()) {
      expect(taskMappingSchema.safeParse(m).success).toBe(true);
      for (const op of Object.values(m.operations))
        expect(op.tool.startsWith(`${m.toolkit}.`), op.tool).toBe(true);
      const toolkit = toolkits.get(m.toolkit);
      expect(toolkit, `${m.toolkit} toolkit`).toBeDefined();
      if (!toolkit) continue;
      for (const op of Object.values(m.operations))
        expect(
          toolkit.tools.map((t) => t.slug),
          `${m.toolkit}: ${op.tool}`,
        ).toContain(op.tool);
      // A read that decides what policies see must be a read.
      const projectTool = toolkit.tools.find((t) => t.slug === m.taskProjectLookup?.tool);
      if (m.taskProjectLookup) expect(projectTool?.risk, m.taskProjectLookup.tool).toBe('read');
    }
  });
});

describe.each(CONTRACTS.map((c) => [c.toolkit, c] as const))('contract: %s', (id, c) => {
  it('create, list, update, comment, close: the unified results, identical for every provider', async () => {
    // Every provider's toolkit, slice and stateful upstream ships: a missing one fails here.
    expect(runnable, `${id}'s toolkit, slice or stateful upstream is missing`).toContain(c);
    const results = await scenario(c);
    // No per-provider exceptions: only `raw`, ids and URLs (named by normalize) are the provider's own.
    expect(results).toEqual(EXPECTED);
  });

  it("policies see a task's project: from its id, else read from the provider (taskProjectLookup)", async () => {
    const mapping = [...mappings.values()].find((m) => m.toolkit === c.toolkit)!;
    const toolkit = toolkits.get(c.toolkit)!;
    const send = c.graphql ? sendGraphql(c.graphql()) : sendTo(c.toolkit, c.credentialQuery);
    const created = await unifiedCall(
      mapping,
      toolkit,
      'tasks.create',
      { projectId: c.projectId, title: 'Whose is it' },
      send,
    );
    const id = created.unified.id as string;
    const found = await unifiedTaskProject(mapping, toolkit, { id }, send);
    expect(found.project, `${id}'s project`).toBe(c.projectId);
    // Ids that carry their project (GitHub owner/repo#12, Jira ENG-1) need no read; the others do.
    expect(found.read).toBe(mapping.taskProject === undefined);
    if (c.toolkit === 'jira') {
      // A Jira issue is also named by its numeric id, which carries no project: then it is read.
      const numeric = String((created.raw as { id: unknown }).id);
      expect(await unifiedTaskProject(mapping, toolkit, { id: numeric }, send)).toEqual({
        project: c.projectId,
        read: true,
      });
    }
  });

  it('a status change on update: in_progress where the provider has such a state, else reported', async () => {
    const mapping = [...mappings.values()].find((m) => m.toolkit === c.toolkit)!;
    const send = c.graphql ? sendGraphql(c.graphql()) : sendTo(c.toolkit, c.credentialQuery);
    const call = (op: (typeof UNIFIED_OPERATIONS)[number], args: Record<string, unknown>) =>
      unifiedCall(mapping, toolkits.get(c.toolkit)!, op, args, send);
    const created = await call('tasks.create', { projectId: c.projectId, title: 'Status' });
    const updated = await call('tasks.update', { id: created.unified.id, status: 'in_progress' });
    expect({ status: updated.unified.status, unsupported: updated.unsupported }).toEqual(c.inProgress);
    // A status every provider can write is written by every provider.
    const done = await call('tasks.update', { id: created.unified.id, status: 'done' });
    expect(done.unified.status).toBe('done');
    expect(done.unsupported).toEqual([]);
    // With other fields too: Jira's edit cannot also transition, so there the status is reported.
    const both = await call('tasks.update', { id: created.unified.id, title: 'Both', status: 'open' });
    expect(both.unified.title).toBe('Both');
    expect(both.unsupported).toEqual(c.toolkit === 'jira' ? ['status'] : []);
    expect(both.unified.status).toBe(c.toolkit === 'jira' ? 'done' : 'open');
  });
});

describe('unified tasks: Trello boards', () => {
  it("a project is a board: projects.list lists the member's boards; a card is created in its first list", async () => {
    const c = CONTRACTS.find((x) => x.toolkit === 'trello')!;
    const mapping = [...mappings.values()].find((m) => m.toolkit === 'trello')!;
    const call = (op: (typeof UNIFIED_OPERATIONS)[number], args: Record<string, unknown>) =>
      unifiedCall(mapping, toolkits.get('trello')!, op, args, sendTo('trello', c.credentialQuery));
    const projects = await call('projects.list', {});
    expect(projects.unified).toEqual({
      items: [
        { id: c.projectId, name: 'Web' },
        { id: '5abbe4b7ddc1b351ef961415', name: 'Ops' },
      ],
    });
    const created = await call('tasks.create', { projectId: c.projectId, title: 'Where' });
    expect(created.unified.projectId).toBe(c.projectId);
    expect(created.raw).toMatchObject({ idList: '5abbe4b7ddc1b351ef961501', idBoard: c.projectId });
    // Trello takes member ids comma-separated: the unified list is sent joined, and read as a list.
    const assigned = await call('tasks.create', {
      projectId: c.projectId,
      title: 'Two members',
      assigneeIds: ['5abbe4b7ddc1b351ef961601', '5abbe4b7ddc1b351ef961602'],
    });
    expect(assigned.unified.assigneeIds).toEqual(['5abbe4b7ddc1b351ef961601', '5abbe4b7ddc1b351ef961602']);
  });
});

describe('unified tasks: assignees', () => {
  it('Asana holds one assignee: one is sent and read back as a list, several are reported', async () => {
    const c = CONTRACTS.find((x) => x.toolkit === 'asana')!;
    const mapping = [...mappings.values()].find((m) => m.toolkit === 'asana')!;
    const call = (args: Record<string, unknown>) =>
      unifiedCall(mapping, toolkits.get('asana')!, 'tasks.create', args, sendTo('asana'));
    const one = await call({ projectId: c.projectId, title: 'Assigned', assigneeIds: ['1100000000000007'] });
    expect(one.unified.assigneeIds).toEqual(['1100000000000007']);
    expect(one.unsupported).toEqual([]);
    const read = await unifiedCall(
      mapping,
      toolkits.get('asana')!,
      'tasks.get',
      { id: one.unified.id },
      sendTo('asana'),
    );
    expect(read.unified.assigneeIds).toEqual(['1100000000000007']);
    const two = await call({ projectId: c.projectId, title: 'Two', assigneeIds: ['1', '2'] });
    expect(two.unsupported).toEqual(['assigneeIds']);
    expect(two.unified.assigneeIds).toEqual([]);
  });
});

const TASK = {
  id: '<task>',
  title: 'Login fails on Safari',
  description: DESCRIPTION,
  status: 'open',
  projectId: '<project>',
  assigneeIds: [],
  url: '<url>',
};
const RENAMED = { ...TASK, title: 'Login fails on Safari 17' };
const EXPECTED = [
  { ...TASK, unsupported: [] },
  { items: [TASK], unsupported: [] },
  { ...RENAMED, unsupported: [] },
  { id: '<comment>', taskId: '<task>', body: 'Reproduced on 17.2', unsupported: [] },
  { ...RENAMED, status: 'done', unsupported: [] },
  { ...RENAMED, status: 'done', unsupported: [] },
  { items: [{ ...RENAMED, status: 'done' }], unsupported: [] },
];
