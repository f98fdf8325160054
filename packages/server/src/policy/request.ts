import type { CedarValueJson, Context, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { BuiltInTool } from '@gatehouse/catalog';
import { type CedarAttribute, cedarDatetime, cedarRecord, typeOfDeclaration } from './cedar-values.js';
import { NAMESPACE, typesOf } from './schema.js';

/** Everything a decision looks at, in Gatehouse terms. */
export interface DecisionInput {
  userId: string;
  /** Already checked against the project's declarations (see `userAttributesFor`). */
  userAttributes: Record<string, CedarValueJson>;
  tool: BuiltInTool;
  arguments: Record<string, unknown>;
  account: {
    id: string;
    provider: string;
    authConfigId: string;
    label: string | null;
    subject: string | null;
    scopes: string[];
  };
  agentId: string | null;
  /** The delegation chain, outermost first; empty until delegation exists. */
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

/** @throws Unrepresentable when an argument does not fit its Cedar type (the caller fails closed). */
export function cedarRequest(input: DecisionInput): CedarRequest {
  const { tool, toolkit } = input.tool;
  const principal = uid('User', input.userId);
  const action = uid('Action', tool.slug);
  const resource = uid('Account', input.account.id);
  const a = input.account;
  const accountAttrs: Record<string, CedarValueJson> = {
    provider: a.provider,
    authConfigId: a.authConfigId,
    scopes: a.scopes,
  };
  if (a.label !== null) accountAttrs.label = a.label;
  if (a.subject !== null) accountAttrs.subject = a.subject;
  const context: Context = {
    arguments: cedarRecord(typesOf(input.tool).arguments.attributes, input.arguments, 'arguments'),
    tool: tool.slug,
    toolkit: toolkit.id,
    risk: tool.risk,
    delegation: input.delegation.map((d, depth) => ({ id: d.id, depth })),
    time: timeOf(input.now),
  };
  if (input.agentId !== null) context.agent = { id: input.agentId };
  return {
    principal,
    action,
    resource,
    context,
    entities: [
      { uid: principal, attrs: input.userAttributes, parents: [] },
      { uid: resource, attrs: accountAttrs, parents: [] },
      // Without a schema at decision time, the action's groups come from its entity.
      {
        uid: action,
        attrs: {},
        parents: [uid('Action', `risk:${tool.risk}`), uid('Action', `toolkit:${toolkit.id}`)],
      },
    ],
  };
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
