import { buildSchema, graphql } from 'graphql';

// A Linear-shaped GraphQL upstream for the unified tasks contract. Linear publishes no schema in a
// package here, so this SDL is a hand-written subset of Linear's public schema (type, field and
// argument names as Linear documents them) covering what the toolkit's documents ask for. graphql-js
// validates every document and its variables against it (an unknown field or a wrongly typed
// variable is an `errors` answer) and executes it over a small in-memory workspace.
const SDL = `
  input IDComparator { eq: ID }
  input StringComparator { eq: String, in: [String!] }
  input BooleanComparator { eq: Boolean }
  input TeamFilter { id: IDComparator }
  input WorkflowStateFilter { type: StringComparator, team: TeamFilter }
  input NullableUserFilter { id: IDComparator, isMe: BooleanComparator }
  input NullableProjectFilter { id: IDComparator }
  input IssueFilter { team: TeamFilter, state: WorkflowStateFilter, assignee: NullableUserFilter, project: NullableProjectFilter }
  enum PaginationOrderBy { createdAt updatedAt }
  input IssueCreateInput { teamId: String!, title: String, description: String, priority: Int, assigneeId: String, projectId: String, stateId: String, labelIds: [String!], dueDate: String }
  input IssueUpdateInput { title: String, description: String, priority: Int, assigneeId: String, projectId: String, stateId: String, labelIds: [String!], dueDate: String }
  input CommentCreateInput { issueId: String!, body: String! }
  type PageInfo { hasNextPage: Boolean!, endCursor: String }
  type WorkflowState { id: ID!, name: String!, type: String!, position: Float! }
  type WorkflowStateConnection { nodes: [WorkflowState!]!, pageInfo: PageInfo! }
  type Team { id: ID!, key: String!, name: String!, description: String }
  type TeamConnection { nodes: [Team!]!, pageInfo: PageInfo! }
  type User { id: ID!, name: String! }
  type Project { id: ID!, name: String! }
  type IssueLabel { name: String! }
  type IssueLabelConnection { nodes: [IssueLabel!]! }
  type Issue {
    id: ID!, identifier: String!, title: String!, url: String!, priority: Float!, priorityLabel: String!,
    state: WorkflowState!, assignee: User, team: Team!, project: Project, dueDate: String, updatedAt: String!,
    description: String, estimate: Float, labels: IssueLabelConnection!, createdAt: String!
  }
  type IssueConnection { nodes: [Issue!]!, pageInfo: PageInfo! }
  type IssuePayload { success: Boolean!, issue: Issue }
  type Comment { id: ID!, url: String!, createdAt: String! }
  type CommentPayload { success: Boolean!, comment: Comment }
  type Query {
    issue(id: String!): Issue
    issues(filter: IssueFilter, first: Int, after: String, orderBy: PaginationOrderBy): IssueConnection!
    teams(first: Int, after: String): TeamConnection!
    workflowStates(filter: WorkflowStateFilter, first: Int): WorkflowStateConnection!
  }
  type Mutation {
    issueCreate(input: IssueCreateInput!): IssuePayload!
    issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
    commentCreate(input: CommentCreateInput!): CommentPayload!
  }
`;

type Json = Record<string, unknown>;
const schema = buildSchema(SDL);
const TEAMS = [
  { id: 'team-eng', key: 'ENG', name: 'Engineering', description: null },
  // A second team, for tests that act across teams (a team is the unified project).
  { id: 'team-ops', key: 'OPS', name: 'Operations', description: null },
];
const STATES = [
  { id: 'state-todo', name: 'Todo', type: 'unstarted', position: 1 },
  { id: 'state-doing', name: 'In Progress', type: 'started', position: 2 },
  { id: 'state-done', name: 'Done', type: 'completed', position: 3 },
];

/** Answers a GraphQL POST body ({ query, variables }) as Linear would: `{ data }` or `{ errors }`. */
export function linearUpstream(): (body: unknown) => Promise<Json> {
  const issues = new Map<
    string,
    Json & { id: string; state: (typeof STATES)[number]; team: (typeof TEAMS)[number] }
  >();
  let next = 1;
  const page = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, endCursor: null } });
  const root = {
    // Linear answers an unknown id with an error ("Entity not found"), not a null issue.
    issue: ({ id }: { id: string }) => {
      const issue = issues.get(id);
      if (!issue) throw new Error('Entity not found: Issue');
      return issue;
    },
    issues: ({
      filter,
    }: {
      filter?: { team?: { id?: { eq?: string } }; state?: { type?: { eq?: string; in?: string[] } } };
    }) =>
      page(
        [...issues.values()].filter(
          (i) =>
            (filter?.team?.id?.eq === undefined || filter.team.id.eq === i.team.id) &&
            (filter?.state?.type?.eq === undefined || i.state.type === filter.state.type.eq) &&
            (filter?.state?.type?.in === undefined || filter.state.type.in.includes(i.state.type)),
        ),
      ),
    teams: () => page(TEAMS),
    workflowStates: () => page(STATES),
    issueCreate: ({ input }: { input: Json }) => {
      const team = TEAMS.find((t) => t.id === input.teamId);
      if (!team) throw new Error('Entity not found: Team');
      const n = next++;
      const issue = {
        id: `issue-${n}`,
        identifier: `${team.key}-${n}`,
        title: input.title,
        description: input.description ?? null,
        url: `https://linear.app/acme/issue/${team.key}-${n}`,
        priority: 0,
        priorityLabel: 'No priority',
        state: STATES[0]!,
        assignee: null,
        team,
        project: null,
        dueDate: null,
        updatedAt: '2026-12-03T12:00:00.000Z',
        createdAt: '2026-12-03T12:00:00.000Z',
        estimate: null,
        labels: { nodes: [] },
      };
      issues.set(issue.id, issue);
      return { success: true, issue };
    },
    issueUpdate: ({ id, input }: { id: string; input: Json }) => {
      const issue = issues.get(id);
      if (!issue) throw new Error('Entity not found: Issue');
      if (typeof input.title === 'string') issue.title = input.title;
      if (typeof input.description === 'string') issue.description = input.description;
      const state = STATES.find((s) => s.id === input.stateId);
      if (input.stateId !== undefined && !state) throw new Error('Entity not found: WorkflowState');
      if (state) issue.state = state;
      return { success: true, issue };
    },
    commentCreate: ({ input }: { input: Json }) => {
      if (!issues.has(String(input.issueId))) throw new Error('Entity not found: Issue');
      return {
        success: true,
        comment: { id: 'comment-1', url: 'https://linear.app/c/1', createdAt: '2026-12-03' },
      };
    },
  };
  return async (body) => {
    const { query, variables } = body as { query: string; variables?: Json };
    return (await graphql({
      schema,
      source: query,
      variableValues: variables ?? {},
      rootValue: root,
    })) as Json;
  };
}
