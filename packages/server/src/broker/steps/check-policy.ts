import type { Approvals } from '../../approvals/approvals.js';
import { Unrepresentable } from '../../policy/cedar-values.js';
import type { PolicyEngine } from '../../policy/engine.js';
import { type DecisionInput, userAttributesFor } from '../../policy/request.js';
import type { Logger } from '../../telemetry/logger.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { requestHash } from '../idempotency.js';
import { type ExecutionContext, type Halt, rejection, toolFailure } from '../types.js';

export interface PolicyDeps {
  policies: PolicyEngine;
  approvals: Approvals;
  log: Logger;
  metrics: Metrics;
}

/**
 * 5. The project's Cedar policies decide: allow, deny, or allow once a human approves. Shadow sets
 * decide too, for the audit trail and the logs, but never change the outcome. No policies: allow.
 */
export async function checkPolicy(ctx: ExecutionContext, d: PolicyDeps): Promise<Halt | undefined> {
  const { projectId, userId, agentId, slug } = ctx.request;
  const policies = await d.policies.forProject(projectId);
  const attrs = userAttributesFor(policies.document.userAttributes, ctx.request.userAttributes ?? {});
  if (!attrs.ok) return rejection('invalid_request', `body.${attrs.message}`);
  if (policies.none) return undefined;

  const account = ctx.account!;
  const input: DecisionInput = {
    userId,
    userAttributes: attrs.value,
    tool: ctx.tool!,
    arguments: ctx.args!,
    account: {
      id: account.id,
      provider: account.provider_id,
      authConfigId: account.auth_config_id,
      label: account.label,
      subject: account.subject,
      scopes: account.scopes,
    },
    agentId,
    delegation: [],
    now: new Date(),
  };
  let decided: ReturnType<typeof policies.decide>;
  try {
    decided = policies.decide(input);
  } catch (err) {
    if (!(err instanceof Unrepresentable)) throw err;
    // An argument policies cannot see must not slip past them.
    return toolFailure(ctx, {
      code: 'policy_denied',
      message: `policies cannot evaluate this call: ${err.message}`,
    });
  }
  ctx.policy = { policies, input };
  const { verdict, shadow } = decided;
  d.metrics.policyDecisions.inc({ mode: 'enforce', decision: verdict.effect });
  for (const s of shadow) {
    d.metrics.policyDecisions.inc({ mode: 'shadow', decision: s.effect });
    const differs = s.effect !== verdict.effect;
    d.log[differs ? 'info' : 'debug'](
      {
        project_id: projectId,
        execution_id: ctx.executionId,
        tool: slug,
        set: s.set,
        shadow: s.effect,
        enforced: verdict.effect,
        policies: s.policies,
      },
      'shadow policy decision',
    );
  }
  ctx.notes.policy = {
    version: policies.version,
    decision: verdict.effect,
    policies: verdict.policies,
    ...(verdict.errors.length > 0 ? { errors: verdict.errors } : {}),
    ...(shadow.length > 0 ? { shadow } : {}),
  };

  if (verdict.effect === 'deny') {
    const which =
      verdict.policies.length > 0 ? `: ${verdict.policies.join(', ')}` : ' (no policy permits it)';
    return toolFailure(ctx, {
      code: 'policy_denied',
      message: `the project's policies do not allow this call${which}`,
      details: { policies: verdict.policies },
    });
  }
  if (verdict.effect === 'allow') return undefined;
  return approval(ctx, d, verdict.policies);
}

/** Approval required: run with a granted approval for this exact call, or ask for one. */
async function approval(ctx: ExecutionContext, d: PolicyDeps, policies: string[]): Promise<Halt | undefined> {
  const { projectId, userId, agentId, slug, approvalId } = ctx.request;
  const hash = requestHash(['approval', slug, ctx.account!.id, ctx.args!]);
  if (approvalId) {
    const claimed = await d.approvals.claim(projectId, approvalId, userId, hash, ctx.executionId);
    if (!claimed.ok) return toolFailure(ctx, { ...claimed.error, details: { approvalId } });
    ctx.approval = { id: approvalId };
    ctx.notes.approval = { id: approvalId, decidedBy: claimed.value.decidedBy };
    return undefined;
  }
  const created = await d.approvals.create(projectId, {
    userId,
    agentId,
    tool: slug,
    connectedAccountId: ctx.account!.id,
    arguments: ctx.args!,
    requestHash: hash,
    policies,
  });
  ctx.notes.approval = { id: created.approval.id, requested: true };
  return toolFailure(ctx, {
    code: 'approval_required',
    message: `a policy requires the user's approval for this call; ask them to open the approval link, then call again with approvalId ${created.approval.id}`,
    details: {
      approvalId: created.approval.id,
      approvalUrl: created.approvalUrl,
      expiresAt: created.approval.expiresAt.toISOString(),
      policies,
    },
  });
}
