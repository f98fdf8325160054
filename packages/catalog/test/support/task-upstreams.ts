import type { Context } from 'openapi-backend';
import { type MockAnswer, type MockHandler, mockAnswer } from './openapi-mock.js';

// Stateful upstreams for the unified tasks contract test: each keeps a tiny task store behind the
// operations the provider's mapping uses. Requests are routed and validated by openapi-backend
// against the provider's slice; every answer is the operation's response sampled from its schema
// with the stored values on top, and is checked against that response schema (openapi-mock.ts).

interface StoredTask {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string | null;
  open: boolean;
  assignees: string[];
}

type Json = Record<string, unknown>;

const params = (c: Context) => c.request.params as Record<string, string>;
const body = (c: Context) => (c.request.requestBody ?? {}) as Json;
const sampled = (c: Context): Json => {
  const b = mockAnswer(c).body;
  return (Array.isArray(b) ? b[0] : b) as Json;
};

/** GitHub's issue operations over an in-memory set of issues. */
export function githubIssues(): Record<string, MockHandler> {
  const issues = new Map<string, StoredTask>();
  let next = 1;
  const key = (owner: string, repo: string, n: number | string) => `${owner}/${repo}#${n}`;
  const issueJson = (c: Context, t: StoredTask): Json => {
    const base = sampled(c);
    const user = base.user as Json;
    return {
      ...base,
      number: t.number,
      title: t.title,
      body: t.body,
      state: t.open ? 'open' : 'closed',
      html_url: `https://github.com/${t.owner}/${t.repo}/issues/${t.number}`,
      assignees: t.assignees.map((login) => ({ ...user, login })),
      pull_request: undefined,
    };
  };
  const find = (c: Context): StoredTask | MockAnswer => {
    const p = params(c);
    return issues.get(key(p.owner!, p.repo!, p.issue_number!)) ?? { status: 404, body: 'no such issue' };
  };
  return {
    'issues/create': (c) => {
      const p = params(c);
      const b = body(c);
      const t: StoredTask = {
        number: next++,
        owner: p.owner!,
        repo: p.repo!,
        title: String(b.title),
        body: typeof b.body === 'string' ? b.body : null,
        open: true,
        assignees: (b.assignees as string[] | undefined) ?? [],
      };
      issues.set(key(t.owner, t.repo, t.number), t);
      return { status: 201, body: issueJson(c, t) };
    },
    'issues/get': (c) => {
      const t = find(c);
      return 'status' in t ? t : { status: 200, body: issueJson(c, t) };
    },
    'issues/update': (c) => {
      const t = find(c);
      if ('status' in t) return t;
      const b = body(c);
      if (typeof b.title === 'string') t.title = b.title;
      if (typeof b.body === 'string') t.body = b.body;
      if (b.state === 'open' || b.state === 'closed') t.open = b.state === 'open';
      return { status: 200, body: issueJson(c, t) };
    },
    'issues/list-for-repo': (c) => {
      const p = params(c);
      const q = c.request.query as Json;
      const state = q.state ?? 'open';
      // Newest first, paged by per_page/page with a Link header to the next page, as GitHub does.
      const list = [...issues.values()]
        .filter(
          (t) =>
            t.owner === p.owner && t.repo === p.repo && (state === 'all' || t.open === (state === 'open')),
        )
        .reverse();
      const perPage = Number(q.per_page ?? 30);
      const page = Number(q.page ?? 1);
      const items = list.slice((page - 1) * perPage, page * perPage);
      const next = `https://api.github.com/repos/${p.owner}/${p.repo}/issues?per_page=${perPage}&page=${page + 1}`;
      return {
        status: 200,
        body: items.map((t) => issueJson(c, t)),
        ...(list.length > page * perPage ? { headers: { link: `<${next}>; rel="next"` } } : {}),
      };
    },
    'issues/create-comment': (c) => {
      const t = find(c);
      if ('status' in t) return t;
      return { status: 201, body: { ...sampled(c), id: 9001, body: String(body(c).body) } };
    },
  };
}

interface Card {
  id: string;
  name: string;
  desc: string;
  idList: string;
  idBoard: string;
  closed: boolean;
  idMembers: string[];
}

const query = (c: Context) => (c.request.query ?? {}) as Record<string, unknown>;

/** The member's boards and their lists (ids are 24 hex digits, as Trello's are). */
const BOARD = { id: '5abbe4b7ddc1b351ef961414', name: 'Web', closed: false };
// A second board, for tests that act across boards (a board is the unified project).
const OTHER_BOARD = { id: '5abbe4b7ddc1b351ef961415', name: 'Ops', closed: false };
const LISTS = [
  { id: '5abbe4b7ddc1b351ef961501', name: 'To do', idBoard: BOARD.id, closed: false, pos: 1 },
  { id: '5abbe4b7ddc1b351ef961502', name: 'Doing', idBoard: BOARD.id, closed: false, pos: 2 },
  { id: '5abbe4b7ddc1b351ef961511', name: 'Backlog', idBoard: OTHER_BOARD.id, closed: false, pos: 1 },
];

/** Trello's board, list and card operations over an in-memory board. */
export function trelloCards(): Record<string, MockHandler> {
  const cards = new Map<string, Card>();
  let next = 1;
  const cardJson = (c: Context, t: Card): Json => ({
    ...(sampled(c) ?? {}),
    ...t,
    shortUrl: `https://trello.com/c/${t.id.slice(-8)}`,
  });
  const find = (c: Context): Card | MockAnswer =>
    cards.get(params(c).idCard!) ?? { status: 404, body: 'no such card' };
  return {
    addCards: (c) => {
      const b = { ...query(c), ...body(c) };
      const id = (0x5abbe4b7 * 2 ** 16 + next++).toString(16).padStart(24, '0');
      const t: Card = {
        id,
        name: String(b.name),
        desc: typeof b.desc === 'string' ? b.desc : '',
        idList: String(b.idList),
        idBoard: LISTS.find((l) => l.id === b.idList)?.idBoard ?? '',
        closed: false,
        // Comma-separated member ids, as Trello's document types them.
        idMembers: typeof b.idMembers === 'string' ? b.idMembers.split(',') : [],
      };
      cards.set(id, t);
      return { status: 200, body: cardJson(c, t) };
    },
    getCardsByIdCard: (c) => {
      const t = find(c);
      return 'status' in t ? t : { status: 200, body: cardJson(c, t) };
    },
    updateCardsByIdCard: (c) => {
      const t = find(c);
      if ('status' in t) return t;
      const b = { ...query(c), ...body(c) };
      if (typeof b.name === 'string') t.name = b.name;
      if (typeof b.desc === 'string') t.desc = b.desc;
      if (b.closed !== undefined) t.closed = b.closed === true || b.closed === 'true';
      return { status: 200, body: cardJson(c, t) };
    },
    getMembersBoardsByIdMember: () => ({ status: 200, body: [BOARD, OTHER_BOARD] }),
    getBoardsListsByIdBoard: (c) => ({
      status: 200,
      body: LISTS.filter((l) => l.idBoard === params(c).idBoard),
    }),
    getBoardsCardsByIdBoard: (c) => {
      // Trello's default filter is "visible" (open cards); archived ones are listed with filter=closed.
      const filter = query(c).filter ?? 'visible';
      const list = [...cards.values()].filter(
        (t) => t.idBoard === params(c).idBoard && (filter === 'all' || t.closed === (filter === 'closed')),
      );
      return { status: 200, body: list.map((t) => cardJson(c, t)) };
    },
    getListsCardsByIdList: (c) => {
      // Trello's default filter is "open": archived (closed) cards are listed with filter=closed.
      const filter = query(c).filter ?? 'open';
      const list = [...cards.values()].filter(
        (t) => t.idList === params(c).idList && (filter === 'all' || t.closed === (filter === 'closed')),
      );
      return { status: 200, body: list.map((t) => cardJson(c, t)) };
    },
    addCardsActionsCommentsByIdCard: (c) => {
      const t = find(c);
      if ('status' in t) return t;
      const text = String({ ...query(c), ...body(c) }.text);
      return { status: 200, body: { id: 'a'.repeat(24), date: '2026-12-03T12:00:00.000Z', data: { text } } };
    },
  };
}

interface AsanaTask {
  gid: string;
  name: string;
  notes: string;
  completed: boolean;
  project: string;
  assignee: string | null;
}

/** Asana's task operations over an in-memory workspace; answers are wrapped in `data` as Asana's are. */
export function asanaTasks(): Record<string, MockHandler> {
  const tasks = new Map<string, AsanaTask>();
  let next = 1;
  const taskJson = (c: Context, t: AsanaTask): Json => {
    const base = (sampled(c).data ?? {}) as Json;
    const sample = (Array.isArray(base) ? base[0] : base) as Json;
    return {
      ...sample,
      gid: t.gid,
      name: t.name,
      notes: t.notes,
      completed: t.completed,
      memberships: [{ project: { gid: t.project, resource_type: 'project', name: 'Web' } }],
      // Asana answers null for no assignee; this document types it as an object only, so it is left out.
      assignee: t.assignee === null ? undefined : { gid: t.assignee, resource_type: 'user', name: 'Ada' },
      permalink_url: `https://app.asana.com/0/${t.project}/${t.gid}`,
    };
  };
  const find = (c: Context): AsanaTask | MockAnswer =>
    tasks.get(params(c).task_gid!) ?? { status: 404, body: 'no such task' };
  const data = (c: Context) => (body(c).data ?? {}) as Json;
  return {
    createTask: (c) => {
      const d = data(c);
      const t: AsanaTask = {
        gid: String(1300000000000000 + next++),
        name: String(d.name),
        notes: typeof d.notes === 'string' ? d.notes : '',
        completed: false,
        project: (d.projects as string[] | undefined)?.[0] ?? '',
        assignee: typeof d.assignee === 'string' ? d.assignee : null,
      };
      tasks.set(t.gid, t);
      return { status: 201, body: { data: taskJson(c, t) } };
    },
    getTask: (c) => {
      const t = find(c);
      return 'status' in t ? t : { status: 200, body: { data: taskJson(c, t) } };
    },
    updateTask: (c) => {
      const t = find(c);
      if ('status' in t) return t;
      const d = data(c);
      if (typeof d.name === 'string') t.name = d.name;
      if (typeof d.notes === 'string') t.notes = d.notes;
      if (typeof d.completed === 'boolean') t.completed = d.completed;
      return { status: 200, body: { data: taskJson(c, t) } };
    },
    getTasks: (c) => {
      const list = [...tasks.values()].filter((t) => t.project === query(c).project);
      // Asana lists compact tasks unless opt_fields names more (Input/output options).
      const full = query(c).opt_fields !== undefined;
      const item = (t: AsanaTask) =>
        full ? taskJson(c, t) : { gid: t.gid, name: t.name, resource_type: 'task' };
      return { status: 200, body: { data: list.map(item), next_page: null } };
    },
    createStoryForTask: (c) => {
      const t = find(c);
      if ('status' in t) return t;
      const story = (sampled(c).data ?? {}) as Json;
      return {
        status: 201,
        body: { data: { ...story, gid: '1400000000000001', text: String(data(c).text) } },
      };
    },
  };
}

interface JiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: unknown;
  workflowStatus: 'To Do' | 'In Progress' | 'Done';
}

/** Jira Cloud's issue operations over an in-memory project, with the default workflow's transitions. */
export function jiraIssues(): Record<string, MockHandler> {
  const issues = new Map<string, JiraIssue>();
  let next = 1;
  const self = (i: JiraIssue) => `https://your-domain.atlassian.net/rest/api/3/issue/${i.id}`;
  const issueJson = (base: Json, i: JiraIssue): Json => ({
    ...base,
    id: i.id,
    key: i.key,
    self: self(i),
    fields: {
      summary: i.summary,
      description: i.description,
      status: { name: i.workflowStatus },
      project: { key: i.project },
    },
  });
  // Jira names an issue by its key or its numeric id (issueIdOrKey).
  const find = (c: Context): JiraIssue | MockAnswer => {
    const named = params(c).issueIdOrKey!;
    return (
      issues.get(named) ??
      [...issues.values()].find((i) => i.id === named) ?? { status: 404, body: 'Issue does not exist' }
    );
  };
  const TRANSITIONS = [
    { id: '11', name: 'To Do', to: { name: 'To Do' } },
    { id: '21', name: 'In Progress', to: { name: 'In Progress' } },
    { id: '31', name: 'Done', to: { name: 'Done' } },
  ] as const;
  return {
    createIssue: (c) => {
      const fields = (body(c).fields ?? {}) as Json;
      const project = String((fields.project as Json | undefined)?.key);
      const n = next++;
      const i: JiraIssue = {
        id: String(10000 + n),
        key: `${project}-${n}`,
        project,
        summary: String(fields.summary),
        description: fields.description ?? null,
        workflowStatus: 'To Do',
      };
      issues.set(i.key, i);
      return { status: 201, body: { id: i.id, key: i.key, self: self(i) } };
    },
    getIssue: (c) => {
      const i = find(c);
      return 'status' in i ? i : { status: 200, body: issueJson(sampled(c), i) };
    },
    editIssue: (c) => {
      const i = find(c);
      if ('status' in i) return i;
      const fields = (body(c).fields ?? {}) as Json;
      if (typeof fields.summary === 'string') i.summary = fields.summary;
      if (fields.description !== undefined) i.description = fields.description;
      return { status: 204, body: undefined };
    },
    searchForIssuesUsingJql: (c) => {
      // Only the JQL the unified mapping writes: `project = KEY ORDER BY created DESC`.
      const project = /^project = ([A-Z][A-Z0-9_]*) /.exec(String(query(c).jql))?.[1];
      const list = [...issues.values()].filter((i) => i.project === project);
      const page = sampled(c);
      const base = ((page.issues as Json[] | undefined)?.[0] ?? {}) as Json;
      return {
        status: 200,
        body: { ...page, startAt: 0, total: list.length, issues: list.map((i) => issueJson(base, i)) },
      };
    },
    addComment: (c) => {
      const i = find(c);
      if ('status' in i) return i;
      return { status: 201, body: { ...sampled(c), id: '10100', body: body(c).body } };
    },
    getTransitions: (c) => {
      const i = find(c);
      if ('status' in i) return i;
      return {
        status: 200,
        body: { transitions: TRANSITIONS.filter((t) => t.to.name !== i.workflowStatus) },
      };
    },
    doTransition: (c) => {
      const i = find(c);
      if ('status' in i) return i;
      const id = String(((body(c).transition ?? {}) as Json).id);
      const target = TRANSITIONS.find((t) => t.id === id);
      if (!target) return { status: 400, body: `no transition ${id}` };
      i.workflowStatus = target.to.name;
      return { status: 204, body: undefined };
    },
  };
}
