import type { CedarValueJson, Context, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { ToolEntry } from '../catalog/tool-catalog.js';
import { type CedarAttribute, cedarDatetime, cedarRecord, typeOfDeclaration } from './cedar-values.js';
import { NAMESPACE, typesOf } from './schema.js';

/** Everything a decision looks at, in Gatehouse terms. */
export interface DecisionInput {
  userId: string;
  /** Already checked against the project's declarations (see `userAttributesFor`). */
  userAttributes: Record<string, CedarValueJson>;
  tool: ToolEntry;
  arguments: Record<string, unknown>;
  account: {
    id: string;
    provider: string;
    authConfigId: string;
    label: string | null;
    subject: string | null;
    scopes: string[];
    /** The owning group of an organisation-owned connection; null for a personal one. */
    groupId: string | null;
    authType: string;
  };
  /**
   * A unified tasks call (`unified.tasks.*`): the resource is then a `Gatehouse::Task` of the account,
   * with the tracker's toolkit and the project and task the call names (null when it names none); a
   * task id that does not carry its project has it read from the provider first (unified-project.ts).
   */
  task?: { toolkit: string; project: string | null; id: string | null };
  /** The group the request acts for (`groupId` on execute), if any. */
  groupId: string | null;
  agentId: string | null;
  /**
   * The verified delegation chain of an exchanged token (RFC 8693 `act`), outermost first: index 0
   * is the acting agent (`agentId`), 1 the agent that delegated to it, and so on down to the agent
   * the user delegated to. Empty for a call made with a key. Cedar sees `{id, depth}` per entry.
   */
  delegation: Array<{ id: string }>;
  now: Date;
}

/** A Cedar request, minus the policies. `context.record` is added per record by the record filter. */
export interface CedarRequest {
  principal: EntityUidJson;
  action: EntityUidJson;
  resource: EntityUidJson;
  context: Context;
  entities: EntityJson[];
}

const uid = (type: string, id: string) => ({ type: `${NAMESPACE}::${type}`, id });

/**
 * Which names the policies mention. Cedar names attributes literally (no computed access), so an
 * attribute whose name appears nowhere in the policy text cannot affect a decision: it is left out
 * of the request, which keeps each decision cheap (crossing into WASM costs per value).
 */
export interface Vocabulary {
  has(name: string): boolean;
}
export const EVERYTHING: Vocabulary = { has: () => true };

export function vocabularyOf(texts: readonly string[]): Vocabulary {
  const words = new Set<string>();
  for (const text of texts) for (const w of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) words.add(w);
  // Names that are not identifiers can only be reached as `x["…"]`: keep them, to be safe.
  return { has: (name) => words.has(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) };
}

/** @throws Unrepresentable when an argument does not fit its Cedar type (the caller fails closed). */
export function cedarRequest(input: DecisionInput, words: Vocabulary = EVERYTHING): CedarRequest {
  const { tool, toolkit } = input.tool;
  const keep = (name: string) => words.has(name);
  const principal = uid('User', input.userId);
  const action = uid('Action', tool.slug);
  const accountUid = uid('Account', input.account.id);
  // A unified call's Task is named by the task, or the project, it acts on (within the account).
  const task = input.task;
  const resource = task ? uid('Task', `${input.account.id}:${task.id ?? task.project ?? ''}`) : accountUid;
  const a = input.account;
  const account: Record<string, CedarValueJson | null> = {
    ...(task ? { toolkit: task.toolkit, project: task.project, task: task.id } : {}),
    provider: a.provider,
    authConfigId: a.authConfigId,
    scopes: a.scopes,
    label: a.label,
    subject: a.subject,
    owner: a.groupId === null ? 'user' : 'group',
    groupId: a.groupId,
    authType: a.authType,
  };
  const accountAttrs: Record<string, CedarValueJson> = {};
  for (const [k, v] of Object.entries(account)) if (v !== null && keep(k)) accountAttrs[k] = v;
  const userAttrs: Record<string, CedarValueJson> = {};
  for (const [k, v] of Object.entries(input.userAttributes)) if (keep(k)) userAttrs[k] = v;

  const context: Context = {};
  if (keep('arguments'))
    context.arguments = cedarRecord(
      typesOf(input.tool).arguments.attributes,
      input.arguments,
      'arguments',
      keep,
    );
  if (keep('tool')) context.tool = tool.slug;
  if (keep('toolkit')) context.toolkit = toolkit.id;
  if (keep('risk')) context.risk = tool.risk;
  if (keep('delegation')) context.delegation = input.delegation.map((d, depth) => ({ id: d.id, depth }));
  if (keep('time')) context.time = timeOf(input.now);
  if (input.groupId !== null && keep('groupId')) context.groupId = input.groupId;
  if (input.agentId !== null && keep('agent')) context.agent = { id: input.agentId };

  const entities: EntityJson[] = [];
  if (Object.keys(userAttrs).length > 0) entities.push({ uid: principal, attrs: userAttrs, parents: [] });
  // A Task is in its Account (`resource in Gatehouse::Account::"ca_1"`), with the same attributes.
  if (Object.keys(accountAttrs).length > 0 || task)
    entities.push({ uid: resource, attrs: accountAttrs, parents: task ? [accountUid] : [] });
  // Without a schema at decision time, the action's groups come from its entity.
  if (keep('risk') || keep('toolkit'))
    entities.push({
      uid: action,
      attrs: {},
      parents: [uid('Action', `risk:${tool.risk}`), uid('Action', `toolkit:${toolkit.id}`)],
    });
  return { principal, action, resource, context, entities };
}

function timeOf(now: Date): CedarValueJson {
  return {
    now: cedarDatetime(now),
    epochSeconds: Math.floor(now.getTime() / 1000),
    hour: now.getUTCHours(),
    dayOfWeek: ((now.getUTCDay() + 6) % 7) + 1, // ISO 8601: Monday = 1 … Sunday = 7
  };
}

/**
 * The app's attributes for its user, checked against what the project declared. Undeclared ones and
 * values of the wrong type are refused (a 400 for the caller), never silently dropped.
 */
export function userAttributesFor(
  declared: Record<string, string>,
  given: Record<string, unknown>,
): { ok: true; value: Record<string, CedarValueJson> } | { ok: false; message: string } {
  const unknown = Object.keys(given).filter((k) => !(k in declared));
  if (unknown.length > 0)
    return {
      ok: false,
      message: `userAttributes.${unknown[0]} is not declared in the project's policies (PUT /v1/policies userAttributes)`,
    };
  const types: Record<string, CedarAttribute> = {};
  for (const [k, v] of Object.entries(declared)) types[k] = typeOfDeclaration(v);
  try {
    return { ok: true, value: cedarRecord(types, given, 'userAttributes') };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
