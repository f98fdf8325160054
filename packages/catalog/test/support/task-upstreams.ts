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
      const state = (c.request.query as Json).state ?? 'open';
      const list = [...issues.values()].filter(
        (t) => t.owner === p.owner && t.repo === p.repo && (state === 'all' || t.open === (state === 'open')),
      );
      return { status: 200, body: list.map((t) => issueJson(c, t)) };
    },
    'issues/create-comment': (c) => {
      const t = find(c);
      if ('status' in t) return t;
      return { status: 201, body: { ...sampled(c), id: 9001, body: String(body(c).body) } };
    },
  };
}
