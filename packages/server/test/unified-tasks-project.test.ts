import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linearUpstream } from '../../catalog/test/support/linear-upstream.js';
import { OpenApiMockUpstream } from '../../catalog/test/support/openapi-mock.js';
import { asanaTasks, jiraIssues, trelloCards } from '../../catalog/test/support/task-upstreams.js';
import { example, setPolicies } from './governance/support.js';
import { describeEachDatabase } from './support/databases.js';
import type { TestGatehouse } from './support/gatehouse.js';
import {
  ASANA_TOOLS,
  graphqlUpstream,
  JIRA_TOOLS,
  LINEAR_TOOLS,
  recording,
  sliceOf,
  startTrackerGatehouse,
  TRELLO_TOOLS,
  trackerToolkit,
} from './support/unified-trackers.js';

// "Only my projects" on trackers whose task ids do not carry the project (Asana task gids, Trello
// card ids, Linear issue ids, Jira numeric issue ids): before policies decide a call that names only
// a task, the broker reads the task's project from the provider (the mapping's taskProjectLookup), so
// a guessed id of another project's task is refused and its write never reaches the upstream. Asana-,
// Trello- and Jira-shaped trackers are stateful upstreams generated from their slices (validated);
// the Linear-shaped one answers GraphQL against a subset of Linear's schema. Each upstream notes the
// operations it served, so "no write happened" is what the upstream saw.

const TRACKERS = [
  {
    x: 's',
    source: 'asana',
    user: 'sam',
    mine: '1200000000000001',
    other: '1200000000000002',
    missing: '1300000000009999',
    lookup: 'trackers.tasks.get',
    read: 'getTask',
    writes: ['updateTask', 'createStoryForTask'],
    close: 'updateTask',
  },
  {
    x: 't',
    source: 'trello',
    user: 'tom',
    mine: '5abbe4b7ddc1b351ef961414',
    other: '5abbe4b7ddc1b351ef961415',
    missing: '5abbe4b7ddc1b351ef96ffff',
    lookup: 'trackert.cards.get',
    read: 'getCardsByIdCard',
    writes: ['updateCardsByIdCard', 'addCardsActionsCommentsByIdCard'],
    close: 'updateCardsByIdCard',
  },
  {
    x: 'l',
    source: 'linear',
    user: 'lin',
    mine: 'team-eng',
    other: 'team-ops',
    missing: 'issue-999',
    lookup: 'trackerl.issues.get',
    read: 'Issue',
    writes: ['IssueUpdate', 'CommentCreate'],
    close: 'IssueUpdate',
  },
  {
    // A Jira issue named by its numeric id (not its key ENG-1) carries no project either.
    x: 'j',
    source: 'jira',
    user: 'jo',
    mine: 'ENG',
    other: 'OPS',
    missing: '99999',
    lookup: 'trackerj.issues.get',
    read: 'getIssue',
    writes: ['editIssue', 'addComment', 'doTransition'],
    close: 'doTransition',
  },
] as const;
type Tracker = (typeof TRACKERS)[number];

const SLUGS = {
  asana: ASANA_TOOLS,
  trello: TRELLO_TOOLS,
  linear: LINEAR_TOOLS,
  jira: [...JIRA_TOOLS, 'jira.comments.add'],
};
const POLICY = example('unified-tasks-no-closes-my-projects');
/** The example's "only my projects" alone (no "no closes"): a close in my project is allowed. */
const ONLY_MY_PROJECTS = `@id("allow by default")\npermit (principal, action, resource);\n${POLICY.slice(POLICY.indexOf('@id("only my projects")'))}`;

type Result = {
  successful: boolean;
  data: (Record<string, unknown> & { raw: unknown }) | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  executionId: string;
};

describeEachDatabase("a task's project is read for policies when its id does not carry it", (t) => {
  let gh: TestGatehouse;
  let key: string;
  const upstream = new OpenApiMockUpstream();
  let linear: { base: string; stop: () => Promise<void> } | undefined;
  const seen: Record<string, string[]> = { s: [], t: [], l: [], j: [] };
  const tasks: Record<string, { mine: string; other: string }> = {};

  beforeAll(async () => {
    upstream.add('trackers', sliceOf('asana'), recording(asanaTasks(), seen.s!));
    upstream.add('trackert', sliceOf('trello'), recording(trelloCards(), seen.t!));
    upstream.add('trackerj', sliceOf('jira'), recording(jiraIssues(), seen.j!));
    const base = await upstream.start();
    linear = await graphqlUpstream(linearUpstream(), seen.l!);
    gh = await startTrackerGatehouse(
      t.db(),
      TRACKERS.map((k) => ({ ...k, slugs: SLUGS[k.source] })),
    );
    key = (await gh.createProject('task-project')).apiKey;
    const call = (method: string, path: string, body: unknown) => gh.call(method, path, { key, body });
    const API = {
      s: { baseUrl: `${base}/trackers`, healthCheck: { method: 'GET', path: '/users/me' } },
      // Trello's document requires the app key and the user's token as query parameters on each call.
      t: {
        baseUrl: `${base}/trackert`,
        healthCheck: { method: 'GET', path: '/members/me/boards' },
        defaultQuery: { key: 'trello-app-key-0123456789' },
      },
      l: {
        baseUrl: linear.base,
        healthCheck: {
          method: 'POST',
          path: '/graphql',
          body: { query: 'query Teams { teams { nodes { id } } }' },
        },
        errorBody: { path: 'errors', when: 'present', messagePath: 'errors.0.message' },
      },
      j: { baseUrl: `${base}/trackerj`, healthCheck: { method: 'GET', path: '/rest/api/3/myself' } },
    };
    for (const k of TRACKERS) {
      const provider = await call('PUT', `/v1/providers/tracker-${k.x}`, {
        id: `tracker-${k.x}`,
        displayName: `Tracker ${k.x.toUpperCase()}`,
        ...(k.x === 't'
          ? { authType: 'api_key', apiKey: { in: 'query', name: 'token' } }
          : { authType: 'bearer' }),
        api: { ...API[k.x], internal: true },
      });
      expect(provider.status, provider.text).toBe(200);
      const toolkit = await call('PUT', `/v1/toolkits/tracker${k.x}`, {
        ...trackerToolkit(k.x, k.source, [...SLUGS[k.source]]),
      });
      expect(toolkit.status, toolkit.text).toBe(200);
      const ac = await call('POST', '/v1/auth-configs', { providerId: `tracker-${k.x}` });
      expect(ac.status, ac.text).toBe(201);
      const connected = await call('POST', '/v1/connected-accounts', {
        userId: k.user,
        authConfigId: (ac.body as { id: string }).id,
        credentials:
          k.x === 't'
            ? { type: 'api_key', apiKey: `tok_${k.x}_${k.user}_0123456789` }
            : { type: 'bearer', token: `tok_${k.x}_${k.user}_0123456789` },
      });
      expect(connected.status, connected.text).toBe(201);
      // One task in my project and one in another, made before any policy exists.
      const made: Record<string, string> = {};
      for (const where of ['mine', 'other'] as const) {
        const created = await run(k.user, 'unified.tasks.create', { projectId: k[where], title: where });
        const r = created.body as Result;
        expect(r.successful, created.text).toBe(true);
        expect(r.data!.projectId).toBe(k[where]);
        made[where] = k.x === 'j' ? String((r.data!.raw as { id: string }).id) : (r.data!.id as string);
      }
      tasks[k.x] = { mine: made.mine!, other: made.other! };
    }
  });
  afterAll(async () => {
    await gh?.close();
    await upstream.stop();
    await linear?.stop();
  });
  beforeEach(() => {
    for (const list of Object.values(seen)) list.length = 0;
  });

  const run = (userId: string, slug: string, args: Record<string, unknown>, projects?: string[]) =>
    gh.call('POST', `/v1/tools/${slug}/execute`, {
      key,
      body: { userId, arguments: args, ...(projects ? { userAttributes: { projects } } : {}) },
    });
  const audited = async (executionId: string) => {
    const res = await gh.call('GET', `/v1/audit?executionId=${executionId}`, { key });
    return (res.body as { items: Array<{ detail: { unified?: Record<string, unknown> } }> }).items[0]!;
  };
  const wrote = (k: Tracker) => seen[k.x]!.filter((op) => (k.writes as readonly string[]).includes(op));

  describe.each(TRACKERS)('tracker $source', (k) => {
    const as = (slug: string, args: Record<string, unknown>) => run(k.user, slug, args, [k.mine]);

    it('another project\'s task by its id: refused by "only my projects"; no write reaches the upstream', async () => {
      await setPolicies(gh, key, [{ policies: POLICY }], { projects: 'Set<String>' });
      const other = tasks[k.x]!.other;
      for (const [slug, args] of [
        ['unified.tasks.update', { id: other, title: 'taken over' }],
        ['unified.tasks.comment', { id: other, body: 'hello' }],
        ['unified.tasks.get', { id: other }],
      ] as const) {
        const r = (await as(slug, args)).body as Result;
        expect(r.error, `${slug}`).toMatchObject({
          code: 'policy_denied',
          details: { policies: ['only my projects'] },
        });
        const entry = await audited(r.executionId);
        expect(entry.detail.unified?.projectLookup).toEqual({ tool: k.lookup, project: k.other });
      }
      const close = (await as('unified.tasks.close', { id: other })).body as Result;
      expect(close.error?.code).toBe('policy_denied');
      expect(close.error?.details?.policies).toEqual(
        expect.arrayContaining(['no closes', 'only my projects']),
      );
      // The project was read (the task's own read), and nothing was written.
      expect(seen[k.x]).toContain(k.read);
      expect(wrote(k)).toEqual([]);
    });

    it('my own project: the same calls are allowed and run', async () => {
      await setPolicies(gh, key, [{ policies: POLICY }], { projects: 'Set<String>' });
      const mine = tasks[k.x]!.mine;
      const updated = (await as('unified.tasks.update', { id: mine, title: 'renamed' })).body as Result;
      expect(updated.successful, JSON.stringify(updated.error)).toBe(true);
      // (Jira answers with the issue's key as its id.)
      expect(updated.data).toMatchObject({ title: 'renamed', projectId: k.mine });
      expect((await audited(updated.executionId)).detail.unified?.projectLookup).toMatchObject({
        project: k.mine,
      });
      const commented = (await as('unified.tasks.comment', { id: mine, body: 'mine' })).body as Result;
      expect(commented.successful, JSON.stringify(commented.error)).toBe(true);
      expect(wrote(k)).toEqual(k.writes.slice(0, 2));
    });

    it('close is decided on the project too: refused elsewhere, run in my project', async () => {
      await setPolicies(gh, key, [{ policies: ONLY_MY_PROJECTS }], { projects: 'Set<String>' });
      const refused = (await as('unified.tasks.close', { id: tasks[k.x]!.other })).body as Result;
      expect(refused.error).toMatchObject({
        code: 'policy_denied',
        details: { policies: ['only my projects'] },
      });
      expect(wrote(k)).toEqual([]);
      const closed = (await as('unified.tasks.close', { id: tasks[k.x]!.mine })).body as Result;
      expect(closed.successful, JSON.stringify(closed.error)).toBe(true);
      expect(closed.data).toMatchObject({ status: 'done', projectId: k.mine });
      expect(wrote(k)).toEqual([k.close]);
    });

    it('a task whose project cannot be read (unknown id) is refused, never decided without it', async () => {
      await setPolicies(gh, key, [{ policies: POLICY }], { projects: 'Set<String>' });
      for (const slug of ['unified.tasks.update', 'unified.tasks.close', 'unified.tasks.comment']) {
        const r = (await as(slug, argsFor(slug, k.missing))).body as Result;
        expect(r.error, slug).toMatchObject({
          code: 'policy_denied',
          message: expect.stringContaining('could not be read'),
          details: { reason: 'task_project_unknown' },
        });
        expect((await audited(r.executionId)).detail.unified?.projectLookup).toMatchObject({
          failed: 'upstream_error',
        });
      }
      expect(seen[k.x]).toContain(k.read);
      expect(wrote(k)).toEqual([]);
    });

    it('policies that never name the project: no read is made for them', async () => {
      await setPolicies(gh, key, [{ policies: example('no-deletes') }], { projects: 'Set<String>' });
      const r = (await as('unified.tasks.get', { id: tasks[k.x]!.other })).body as Result;
      expect(r.successful, JSON.stringify(r.error)).toBe(true);
      // The other project's task was never written by the refused calls above.
      expect(r.data).toMatchObject({ title: 'other', status: 'open', projectId: k.other });
      expect((await audited(r.executionId)).detail.unified?.projectLookup).toBeUndefined();
      // One read: the get itself.
      expect(seen[k.x]).toEqual([k.read]);
    });
  });
});

function argsFor(slug: string, id: string): Record<string, unknown> {
  if (slug === 'unified.tasks.update') return { id, title: 'x' };
  if (slug === 'unified.tasks.comment') return { id, body: 'x' };
  return { id };
}
