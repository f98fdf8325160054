import {
  builtInTaskMappings,
  compileArgumentValidator,
  UNIFIED_TOOLKIT_ID,
  unifiedTarget,
} from '@gatehouse/catalog';
import type { ProjectCatalog, ToolCatalog } from '../catalog/tool-catalog.js';
import { fail, ok, type Result } from '../shared/result.js';
import { cedar, loadCedar } from './cedar.js';
import { Unrepresentable } from './cedar-values.js';
import { compile, type PolicyDocument, type PolicyIssue } from './compile.js';
import { type PolicyEngine, ProjectPolicies, type ShadowVerdict, type Verdict } from './engine.js';
import type { PolicyStore, PolicyVersion } from './policy-store.js';
import { recordRequests } from './records.js';
import { type DecisionInput, userAttributesFor } from './request.js';
import { cedarSchema } from './schema.js';

/** A hypothetical call, for `POST /v1/policies/test`: what would the policies say? */
export interface PolicyTestInput {
  userId: string;
  userAttributes?: Record<string, unknown> | undefined;
  tool: string;
  arguments?: Record<string, unknown> | undefined;
  account?:
    | {
        id?: string | undefined;
        authConfigId?: string | undefined;
        label?: string | undefined;
        subject?: string | undefined;
        scopes?: string[] | undefined;
        groupId?: string | undefined;
        authType?: string | undefined;
      }
    | undefined;
  groupId?: string | undefined;
  agentId?: string | undefined;
  /** Agent ids of an exchanged token's chain, the acting agent first (it is also `agentId`). */
  delegation?: string[] | undefined;
  time?: string | undefined;
  /** A record the tool returned: is it kept or dropped by record-level policies? */
  record?: Record<string, unknown> | undefined;
}

export interface PolicyTestResult {
  version: number | null;
  decision: Verdict['effect'];
  policies: string[];
  errors: string[];
  shadow: ShadowVerdict[];
  record?: { kept: boolean; shadowDropped: string[] };
}

/** Policies as a project manages them: validated writes, versions, the schema, and dry runs. */
export class PolicyService {
  constructor(
    private readonly store: PolicyStore,
    readonly engine: PolicyEngine,
    private readonly catalog: ToolCatalog,
  ) {}

  async put(
    projectId: string,
    doc: PolicyDocument,
    createdBy: string | null,
  ): Promise<Result<{ version: PolicyVersion; warnings: PolicyIssue[] }>> {
    await loadCedar();
    const checked = checkDocument(doc, await this.catalog.forProject(projectId));
    if (!checked.ok) return checked;
    const version = await this.store.put(projectId, doc, createdBy);
    return ok({ version, warnings: checked.value });
  }

  current(projectId: string): Promise<PolicyVersion | undefined> {
    return this.store.get(projectId);
  }

  version(projectId: string, version: number): Promise<PolicyVersion | undefined> {
    return this.store.get(projectId, version);
  }

  versions(projectId: string, limit: number, before?: number): Promise<PolicyVersion[]> {
    return this.store.list(projectId, limit, before);
  }

  /** The Cedar schema policies are validated against, in Cedar's own syntax. */
  async schemaText(projectId: string): Promise<string> {
    const [current, catalog] = await Promise.all([
      this.store.get(projectId),
      this.catalog.forProject(projectId),
      loadCedar(),
    ]);
    const text = cedar().schemaToText(cedarSchema(current?.document.userAttributes ?? {}, catalog));
    return text.type === 'success' ? text.text : '';
  }

  /** Evaluates a hypothetical call against the current policies, or against a draft document. */
  async test(
    projectId: string,
    request: PolicyTestInput,
    draft?: PolicyDocument,
  ): Promise<Result<PolicyTestResult>> {
    const catalog = await this.catalog.forProject(projectId);
    await loadCedar();
    let policies: ProjectPolicies;
    if (draft) {
      const checked = checkDocument(draft, catalog);
      if (!checked.ok) return checked;
      const compiled = compile(draft, undefined);
      if (!compiled.ok) return fail('invalid_policy', 'the draft does not parse');
      policies = new ProjectPolicies(`draft:${projectId}`, 0, draft, compiled.sets);
    } else {
      policies = await this.engine.forProject(projectId);
    }
    const tool = catalog.get(request.tool);
    if (!tool) return fail('invalid_request', `body.request.tool: no tool named ${request.tool}`);
    const args = compileArgumentValidator(tool.tool)(request.arguments ?? {});
    if (!args.ok) return fail('invalid_arguments', args.error.message, { issues: args.error.issues });
    const attrs = userAttributesFor(policies.document.userAttributes, request.userAttributes ?? {});
    if (!attrs.ok) return fail('invalid_request', `body.request.${attrs.message}`);
    const a = request.account ?? {};
    const task = dryRunTask(tool.toolkit.id, args.value);
    try {
      const decisionInput: DecisionInput = {
        userId: request.userId,
        userAttributes: attrs.value,
        tool,
        arguments: args.value,
        account: {
          id: a.id ?? 'ca_hypothetical',
          provider: task?.provider ?? tool.toolkit.provider,
          authConfigId: a.authConfigId ?? 'ac_hypothetical',
          label: a.label ?? null,
          subject: a.subject ?? null,
          scopes: a.scopes ?? tool.tool.scopes,
          groupId: a.groupId ?? null,
          authType: a.authType ?? 'oauth2',
        },
        ...(task ? { task: task.task } : {}),
        groupId: request.groupId ?? null,
        agentId: request.delegation?.[0] ?? request.agentId ?? null,
        delegation: (request.delegation ?? []).map((id) => ({ id })),
        now: request.time ? new Date(request.time) : new Date(),
      };
      const { verdict, shadow } = policies.decide(decisionInput);
      const result: PolicyTestResult = {
        version: draft ? null : policies.version,
        decision: verdict.effect,
        policies: verdict.policies,
        errors: verdict.errors,
        shadow,
      };
      if (request.record) {
        if (!tool.tool.records)
          return fail('invalid_request', `body.request.record: ${tool.tool.slug} declares no records`);
        const { request: base, words } = policies.recordBase(decisionInput);
        const [recordReq] = recordRequests(base, tool, [request.record], words);
        const decided = policies.recordDecision(recordReq);
        result.record = { kept: !decided.drop, shadowDropped: decided.shadowDrops };
      }
      return ok(result);
    } catch (err) {
      if (err instanceof Unrepresentable) return fail('invalid_arguments', err.message);
      throw err;
    }
  }
}

function checkDocument(doc: PolicyDocument, catalog: ProjectCatalog): Result<PolicyIssue[]> {
  const names = doc.sets.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) return fail('invalid_request', `body.sets: the set name "${duplicate}" is used twice`);
  const compiled = compile(doc, cedarSchema(doc.userAttributes, catalog));
  if (compiled.ok) return ok(compiled.warnings);
  const first = compiled.issues[0]!;
  return fail(
    'invalid_policy',
    `${compiled.issues.length} problem(s) in the policies; first: set "${first.set}" line ${first.line}, column ${first.column}: ${first.message}`,
    { issues: compiled.issues },
  );
}

/**
 * A unified tool's dry run is decided on its Task, as execute decides it: the tracker named by the
 * `provider` argument (a built-in mapping), the project and task the arguments name.
 */
function dryRunTask(
  toolkitId: string,
  args: Record<string, unknown>,
): { provider: string; task: NonNullable<DecisionInput['task']> } | undefined {
  if (toolkitId !== UNIFIED_TOOLKIT_ID) return undefined;
  const named = typeof args.provider === 'string' ? args.provider : undefined;
  const mapping = [...builtInTaskMappings().values()].find((m) => m.toolkit === named);
  const target = unifiedTarget(mapping, args);
  return {
    provider: mapping?.provider ?? toolkitId,
    task: { toolkit: mapping?.toolkit ?? toolkitId, project: target.project, id: target.task },
  };
}
