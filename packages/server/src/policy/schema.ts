import type { ActionType, SchemaJson } from '@cedar-policy/cedar-wasm/nodejs';
import { RECORD_ATTRIBUTE_TYPES, type ToolDefinition, UNIFIED_TOOLKIT_ID } from '@gatehouse/catalog';
import type { ProjectCatalog, ToolEntry } from '../catalog/tool-catalog.js';
import { type CedarAttribute, type CedarType, recordTypeOf, typeOfDeclaration } from './cedar-values.js';
import { PROXY_ACTIONS, PROXY_TOOLKIT_ID } from './proxy-actions.js';

/**
 * The Cedar schema of a project, generated from its catalog (built-in and custom toolkits):
 * - principal `Gatehouse::User` (the end user; attributes the project declares, sent by its app),
 * - resource `Gatehouse::Account` (the connected account), or for the unified tasks tools
 *   (`unified.tasks.*`) `Gatehouse::Task`: the same account attributes plus provider-neutral ones
 *   (`toolkit`: jira, github, ...; `project` and `task` when the call names them), a member of its
 *   Account, so one policy on `resource.project` governs every ticketing provider,
 * - one action per tool (`Gatehouse::Action::"acme.tasks.create"`), member of `"risk:<risk>"` and
 *   `"toolkit:<toolkit id>"` action groups, and one per proxied method (`"proxy:POST"`, in
 *   `"toolkit:proxy"`),
 * - context: the typed tool arguments, the acting agent and its delegation chain, the time, and for
 *   tools that declare records, `record` (present only in record-level checks).
 *   `delegation` is a set of `{id, depth}`: the verified `act` chain of an exchanged token, depth 0
 *   the acting agent (= `agent.id`), depth 1 the agent that delegated to it, and so on; empty for a
 *   call made with a key. "A sub-agent of the support agent": `context.delegation.contains({id:
 *   "support-agent", depth: 1})` (policy/examples/sub-agents-of-support-read-only.cedar).
 */
export const NAMESPACE = 'Gatehouse';
export const RISK_GROUPS = ['read', 'write', 'destructive', 'financial'] as const;

/** What the project declares about its users: attribute name → type (`"String"`, `"Long?"`, …). */
export type UserAttributeDeclarations = Record<string, string>;
export const USER_ATTRIBUTE_TYPES = RECORD_ATTRIBUTE_TYPES;

const str: CedarAttribute = { type: 'String', required: true };
const long: CedarAttribute = { type: 'Long', required: true };
const datetime: CedarAttribute = { type: 'Extension', name: 'datetime', required: true };

const ACCOUNT_ATTRIBUTES: Record<string, CedarAttribute> = {
  provider: str,
  authConfigId: str,
  label: { type: 'String', required: false },
  subject: { type: 'String', required: false },
  scopes: { type: 'Set', element: { type: 'String' }, required: true },
  // Organisation-owned connections: "user" or "group", and the owning group's id.
  owner: str,
  groupId: { type: 'String', required: false },
  // How the connection authenticates: oauth2, api_key, basic or bearer (the provider's authType).
  authType: str,
};
const ACCOUNT_SHAPE: CedarType = { type: 'Record', attributes: ACCOUNT_ATTRIBUTES };

/**
 * A unified call's resource: the account's attributes (policies written for accounts keep validating
 * and deciding the same), the tracker's toolkit, and the project and task the call names, when it does.
 */
const TASK_SHAPE: CedarType = {
  type: 'Record',
  attributes: {
    ...ACCOUNT_ATTRIBUTES,
    toolkit: str,
    project: { type: 'String', required: false },
    task: { type: 'String', required: false },
  },
};

// Shared shapes, named so the printed schema (GET /v1/policies/schema) stays readable.
const COMMON_TYPES = {
  Time: { type: 'Record', attributes: { now: datetime, epochSeconds: long, hour: long, dayOfWeek: long } },
  Agent: { type: 'Record', attributes: { id: str } },
  // One agent of the delegation chain: depth 0 acts, depth n+1 delegated to depth n.
  Delegate: { type: 'Record', attributes: { id: str, depth: long } },
} as const satisfies Record<string, CedarType>;

export interface ToolTypes {
  /** The typed tool arguments; arguments without a Cedar form are absent. */
  arguments: CedarType & { attributes: Record<string, CedarAttribute> };
  /** Declared record attributes, when the tool declares records. */
  record: Record<string, CedarAttribute> | undefined;
}

// Keyed by the tool's definition object: a custom toolkit written again is a new object.
const toolTypes = new WeakMap<ToolDefinition, ToolTypes>();

/** The Cedar types of one tool's arguments and records (cached per definition). */
export function typesOf(t: ToolEntry): ToolTypes {
  let types = toolTypes.get(t.tool);
  if (!types) {
    const args = recordTypeOf(t.tool.input as Record<string, unknown>) ?? { type: 'Record', attributes: {} };
    const record = t.tool.records
      ? Object.fromEntries(
          Object.entries(t.tool.records.attributes).map(([k, v]) => [k, typeOfDeclaration(v)]),
        )
      : undefined;
    types = { arguments: args as ToolTypes['arguments'], record };
    toolTypes.set(t.tool, types);
  }
  return types;
}

function actionOf(t: ToolEntry): ActionType<string> {
  const { arguments: args, record } = typesOf(t);
  const context: Record<string, CedarAttribute> = {
    arguments: { ...args, required: true },
    tool: str,
    toolkit: str,
    risk: str,
    agent: { type: 'Agent', required: false },
    delegation: { type: 'Set', element: { type: 'Delegate' }, required: true },
    time: { type: 'Time', required: true },
    // The group (team, workspace) the request acts for, when the app names one.
    groupId: { type: 'String', required: false },
  };
  if (record) context.record = { type: 'Record', attributes: record, required: false };
  return {
    memberOf: [{ id: `risk:${t.tool.risk}` }, { id: `toolkit:${t.toolkit.id}` }],
    appliesTo: {
      principalTypes: ['User'],
      resourceTypes: [t.toolkit.id === UNIFIED_TOOLKIT_ID ? 'Task' : 'Account'],
      context: { type: 'Record', attributes: context },
    },
  };
}

// Per catalog snapshot: a project's snapshot changes (and this entry goes) when its toolkits change.
const catalogActions = new WeakMap<ProjectCatalog, Record<string, ActionType<string>>>();

function actions(catalog: ProjectCatalog): Record<string, ActionType<string>> {
  let out = catalogActions.get(catalog);
  if (!out) {
    const tools = [...catalog.list(), ...PROXY_ACTIONS];
    out = {};
    for (const risk of RISK_GROUPS) out[`risk:${risk}`] = {};
    for (const t of catalog.toolkits()) out[`toolkit:${t.toolkit.id}`] = {};
    out[`toolkit:${PROXY_TOOLKIT_ID}`] = {};
    for (const t of tools) out[t.tool.slug] = actionOf(t);
    catalogActions.set(catalog, out);
  }
  return out;
}

export function cedarSchema(users: UserAttributeDeclarations, catalog: ProjectCatalog): SchemaJson<string> {
  const userAttributes = Object.fromEntries(
    Object.entries(users).map(([name, decl]) => [name, typeOfDeclaration(decl)]),
  );
  return {
    [NAMESPACE]: {
      commonTypes: COMMON_TYPES,
      entityTypes: {
        User: { shape: { type: 'Record', attributes: userAttributes } },
        Account: { shape: ACCOUNT_SHAPE },
        Task: { shape: TASK_SHAPE, memberOfTypes: ['Account'] },
      },
      actions: actions(catalog),
    },
  };
}
