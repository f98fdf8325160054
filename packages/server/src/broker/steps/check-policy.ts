import type { Approvals } from '../../approvals/approvals.js';
import { Unrepresentable } from '../../policy/cedar-values.js';
import type { PolicyEngine, ProjectPolicies, ShadowVerdict, Verdict } from '../../policy/engine.js';
import { type DecisionInput, userAttributesFor } from '../../policy/request.js';
import type { Logger } from '../../telemetry/logger.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { requestHash } from '../idempotency.js';
import { type CallContext, type GovernedAction, type Halt, refusal, rejection } from '../types.js';

export interface PolicyDeps {
  policies: PolicyEngine;
  approvals: Approvals;
  log: Logger;
  metrics: Metrics;
}

/**
 * The project's Cedar policies decide: allow, deny, or allow once a human approves. Shadow sets
 * decide too, for the audit trail and the logs, but never change the outcome. No policies: allow.
 * A call governed as several actions (a proxied request that does what a catalog tool does) runs only
 * if every one of them is allowed; a deny anywhere wins, then an approval.
 */
export async function checkPolicy(ctx: CallContext, d: PolicyDeps): Promise<Halt | undefined> {
  const { projectId, agentId } = ctx.request;
  const policies = await d.policies.forProject(projectId);
  const attrs = userAttributesFor(policies.document.userAttributes, ctx.request.userAttributes ?? {});
  if (!attrs.ok) return rejection('invalid_request', `body.${attrs.message}`);
  if (policies.none) return undefined;

  const account = ctx.account!;
  const inputOf = (action: GovernedAction): DecisionInput => ({
    userId: ctx.userId!,
    userAttributes: attrs.value,
    tool: action.tool,
    arguments: action.args,
    ...(action.task ? { task: action.task } : {}),
    account: {
      id: account.id,
      provider: account.providerId,
      authConfigId: account.authConfigId,
      label: account.label,
      subject: account.subject,
      scopes: account.scopes,
      groupId: account.groupId,
      authType: ctx.auth?.provider.definition.authType ?? 'oauth2',
    },
    groupId: ctx.groupId ?? null,
    agentId,
    delegation: ctx.request.delegation?.chain.map((id) => ({ id })) ?? [],
    now: new Date(),
  });
  const actions = [{ tool: ctx.tool!, args: ctx.args! }, ...(ctx.alsoGovernedAs ?? [])];
  const decisions: Array<{ action: string; verdict: Verdict; shadow: ShadowVerdict[] }> = [];
  for (const action of actions) {
    try {
      decisions.push({ action: action.tool.tool.slug, ...policies.decide(inputOf(action)) });
    } catch (err) {
      if (!(err instanceof Unrepresentable)) throw err;
      // An argument policies cannot see must not slip past them.
      return refusal({
        code: 'policy_denied',
        message: `policies cannot evaluate this call as ${action.tool.tool.slug}: ${err.message}`,
      });
    }
  }
  ctx.policy = { policies, input: inputOf(actions[0]!) };
  const verdict = combine(decisions.map((x) => x.verdict));
  const shadow = combineShadows(decisions.map((x) => x.shadow));
  observe(ctx, d, policies, verdict, shadow);
  ctx.notes.policy = {
    version: policies.version,
    decision: verdict.effect,
    policies: verdict.policies,
    ...(decisions.length > 1 ? { actions: decisions.map((x) => ({ action: x.action, ...x.verdict })) } : {}),
    ...(verdict.errors.length > 0 ? { errors: verdict.errors } : {}),
    ...(shadow.length > 0 ? { shadow } : {}),
  };

  if (verdict.effect === 'deny') {
    const which =
      verdict.policies.length > 0 ? `: ${verdict.policies.join(', ')}` : ' (no policy permits it)';
    return refusal({
      code: 'policy_denied',
      message: `the project's policies do not allow this call${which}`,
      details: { policies: verdict.policies },
    });
  }
  if (verdict.effect === 'allow') return undefined;
  return approval(ctx, d, verdict.policies);
}

/** Deny wins, then approval; the policies named are those behind the winning effect. */
function combine(verdicts: Verdict[]): Verdict {
  const effect = verdicts.some((v) => v.effect === 'deny')
    ? 'deny'
    : verdicts.some((v) => v.effect === 'approval_required')
      ? 'approval_required'
      : 'allow';
  const deciding = verdicts.filter((v) => v.effect === effect);
  return {
    effect,
    policies: [...new Set(deciding.flatMap((v) => v.policies))],
    errors: [...new Set(verdicts.flatMap((v) => v.errors))],
  };
}

/** Each shadow set's verdict over every action, combined as the enforced ones are. */
function combineShadows(perAction: ShadowVerdict[][]): ShadowVerdict[] {
  if (perAction.length === 1) return perAction[0]!;
  const sets = new Map<string, Verdict[]>();
  for (const verdict of perAction.flat()) sets.set(verdict.set, [...(sets.get(verdict.set) ?? []), verdict]);
  return [...sets].map(([set, verdicts]) => ({ set, ...combine(verdicts) }));
}

function observe(
  ctx: CallContext,
  d: PolicyDeps,
  policies: ProjectPolicies,
  verdict: Verdict,
  shadow: ShadowVerdict[],
): void {
  d.metrics.policyDecisions.inc({ mode: 'enforce', decision: verdict.effect });
  for (const s of shadow) {
    d.metrics.policyDecisions.inc({ mode: 'shadow', decision: s.effect });
    const differs = s.effect !== verdict.effect;
    d.log[differs ? 'info' : 'debug'](
      {
        project_id: ctx.request.projectId,
        execution_id: ctx.executionId,
        tool: ctx.tool!.tool.slug,
        policy_version: policies.version,
        set: s.set,
        shadow: s.effect,
        enforced: verdict.effect,
        policies: s.policies,
      },
      'shadow policy decision',
    );
  }
}

/** Approval required: run with a granted approval for this exact call, or ask for one. */
async function approval(ctx: CallContext, d: PolicyDeps, policies: string[]): Promise<Halt | undefined> {
  const { projectId, agentId, approvalId } = ctx.request;
  const userId = ctx.userId!;
  const slug = ctx.tool!.tool.slug;
  const args = ctx.approvalArguments ?? ctx.args!;
  const hash = requestHash(['approval', slug, ctx.account!.id, args]);
  if (approvalId) {
    const claimed = await d.approvals.claim(projectId, approvalId, userId, hash, ctx.executionId);
    if (!claimed.ok) return refusal({ ...claimed.error, details: { approvalId } });
    ctx.approval = { id: approvalId };
    ctx.notes.approval = { id: approvalId, decidedBy: claimed.value.decidedBy };
    return undefined;
  }
  if (ctx.request.adoptApprovedApproval) {
    const adopted = await d.approvals.claimApproved(projectId, userId, hash, ctx.executionId);
    if (adopted) {
      ctx.approval = { id: adopted.id };
      ctx.notes.approval = { id: adopted.id, decidedBy: adopted.decidedBy, adopted: true };
      return undefined;
    }
    const waiting = await d.approvals.pendingFor(projectId, userId, hash);
    if (waiting)
      return refusal({
        code: 'approval_pending',
        message: `approval ${waiting.id} for this call is still waiting for the user's decision; once they approve it with the link given earlier, make the same call again`,
        details: { approvalId: waiting.id, expiresAt: waiting.expiresAt.toISOString(), policies },
      });
  }
  const created = await d.approvals.create(projectId, {
    userId,
    agentId,
    tool: slug,
    connectedAccountId: ctx.account!.id,
    arguments: args,
    requestHash: hash,
    policies,
    requiredLogin: ctx.request.loginRealm,
  });
  ctx.notes.approval = { id: created.approval.id, requested: true };
  return refusal({
    code: 'approval_required',
    message: `a policy requires the user's approval for this call; ask them to open the approval link, then make the same call again with approvalId ${created.approval.id}`,
    details: {
      approvalId: created.approval.id,
      approvalUrl: created.approvalUrl,
      expiresAt: created.approval.expiresAt.toISOString(),
      policies,
    },
  });
}
