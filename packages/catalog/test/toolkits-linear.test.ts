import { type OperationDefinitionNode, parse, type TypeNode } from 'graphql';
import { sample } from 'openapi-sampler';
import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  builtInToolkits,
  compileArgumentValidator,
  shapeOutput,
  type ToolDefinition,
} from '../src/index.js';

// Linear's API is GraphQL, so its toolkit is written by hand: each tool posts a constant query
// document (http.body.const) with variables from its arguments. Linear publishes no schema in a
// package here, so field names are not checked against Linear's schema (the toolkit's notes say
// so); what is checked, with the graphql reference parser: every document parses to one operation,
// every variable a tool sets is one the operation declares, every required (`!`) variable comes from
// a required argument, and a call with sample arguments sends exactly that JSON to /graphql.

const linear = builtInToolkits().get('linear')!;

function operationOf(tool: ToolDefinition): OperationDefinitionNode {
  const body = tool.http.body;
  if (!body || !('fields' in body) || typeof body.const?.['query'] !== 'string')
    throw new Error(`${tool.slug} has no constant query`);
  const doc = parse(body.const['query']);
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  expect(ops).toHaveLength(1);
  return ops[0]!;
}

const typeName = (t: TypeNode): string =>
  t.kind === 'NamedType'
    ? t.name.value
    : t.kind === 'ListType'
      ? `[${typeName(t.type)}]`
      : `${typeName(t.type)}!`;

describe('the Linear toolkit (hand-written GraphQL)', () => {
  it('has the tools an agent needs, each on POST /graphql with least-privilege scopes', () => {
    expect(linear.tools.map((t) => t.slug).sort()).toEqual([
      'linear.comments.create',
      'linear.issues.create',
      'linear.issues.get',
      'linear.issues.list',
      'linear.issues.search',
      'linear.issues.update',
      'linear.projects.list',
      'linear.teams.list',
      'linear.viewer.get',
      'linear.workflow_states.list',
    ]);
    for (const tool of linear.tools) {
      expect(tool.http).toMatchObject({ method: 'POST', path: '/graphql' });
      const op = operationOf(tool);
      if (op.operation === 'query') {
        expect(tool.scopes, tool.slug).toEqual(['read']);
        expect(tool.risk).toBe('read');
        expect(tool.idempotent).toBe(true);
      } else {
        expect(tool.scopes, tool.slug).not.toContain('admin');
        expect(tool.risk).toBe('write');
      }
    }
  });

  it.each(linear.tools.map((t) => [t.slug, t] as const))(
    '%s binds its arguments to the variables its operation declares',
    (_slug, tool) => {
      const op = operationOf(tool);
      const declared = new Map(
        (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, typeName(v.type)]),
      );
      const body = tool.http.body as { fields: Record<string, string> };
      const bound = new Map<string, string[]>();
      for (const [path, arg] of Object.entries(body.fields)) {
        const [root, variable] = path.split('.');
        expect(root, path).toBe('variables');
        expect(declared.has(variable!), `${path}: $${variable} is not declared`).toBe(true);
        bound.set(variable!, [...(bound.get(variable!) ?? []), arg]);
      }
      const required = new Set(tool.input.required ?? []);
      for (const [variable, type] of declared) {
        expect(bound.has(variable), `$${variable} is never set`).toBe(true);
        // issueUpdate's input is made of optional fields only: which ones to change is the caller's choice.
        if (type.endsWith('!') && type !== 'IssueUpdateInput!')
          expect(
            bound.get(variable)!.some((arg) => required.has(arg)),
            `$${variable}: ${type} needs a required argument`,
          ).toBe(true);
      }

      const args = sample(tool.input as never) as Record<string, unknown>;
      for (const name of tool.input.required ?? []) expect(args[name], name).toBeDefined();
      const valid = compileArgumentValidator(tool)(args);
      expect(valid.ok ? 'ok' : valid.error.message).toBe('ok');
      const built = buildRequest(tool, args);
      if (!built.ok) throw new Error(built.error.message);
      expect(built.value.path).toBe('/graphql');
      expect(built.value.headers['content-type']).toBe('application/json');
      const sent = built.value.body as { query: string; variables?: Record<string, unknown> };
      expect(sent.query).toBe(operationOf(tool).loc?.source.body);
      for (const [path, arg] of Object.entries(body.fields)) {
        if (args[arg] === undefined) continue;
        const value = path
          .split('.')
          .slice(1)
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], sent.variables);
        expect(value, path).toEqual(args[arg]);
      }
    },
  );

  it('keeps the team and project ids next to their key and name in issue outputs', () => {
    const issue = {
      id: 'i1',
      identifier: 'ENG-1',
      title: 'Bug',
      url: 'https://linear.app/x/issue/ENG-1',
      state: { name: 'Todo', type: 'unstarted' },
      assignee: { id: 'u1', name: 'Alice' },
      team: { id: 't1', key: 'ENG' },
      project: { id: 'p1', name: 'Web' },
    };
    const ids = { teamId: 't1', team: 'ENG', projectId: 'p1', project: 'Web', assigneeId: 'u1' };
    const shaped = (slug: string, body: unknown) =>
      shapeOutput(linear.tools.find((t) => t.slug === slug)!, body, {}).data;
    expect(shaped('linear.issues.get', { data: { issue } })).toMatchObject(ids);
    const page = { nodes: [issue], pageInfo: { hasNextPage: false, endCursor: null } };
    expect(shaped('linear.issues.list', { data: { issues: page } })).toMatchObject([ids]);
    expect(shaped('linear.issues.search', { data: { searchIssues: page } })).toMatchObject([ids]);
  });

  it('sends a constant document unchanged by the arguments, and never lets a field overwrite it', () => {
    const get = linear.tools.find((t) => t.slug === 'linear.issues.get')!;
    const a = buildRequest(get, { id: 'ENG-1' });
    const b = buildRequest(get, { id: 'ENG-2' });
    if (!a.ok || !b.ok) throw new Error('build failed');
    expect((a.value.body as { query: string }).query).toBe((b.value.body as { query: string }).query);
    expect((a.value.body as { variables: unknown }).variables).toEqual({ id: 'ENG-1' });
    // The constant is copied per call: one call's variables never leak into the next.
    expect((b.value.body as { variables: unknown }).variables).toEqual({ id: 'ENG-2' });
  });
});
