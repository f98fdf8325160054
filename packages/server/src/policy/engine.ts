import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { type CompiledPolicy, type CompiledSet, compile, type PolicyDocument } from './compile.js';
import type { PolicyStore } from './policy-store.js';
import type { CedarRequest } from './request.js';

export type Effect = 'allow' | 'deny' | 'approval_required';

export interface Verdict {
  effect: Effect;
  /** The policies that determined it (`@id` or `<set>#<n>`); empty for "no policies" and default deny. */
  policies: string[];
  /** Policies that failed to evaluate (they are skipped, except that a failed forbid denies). */
  errors: string[];
}

export interface ShadowVerdict extends Verdict {
  set: string;
}

/** One evaluable Cedar policy set, pre-parsed into the WASM module under `id`. */
class Evaluable {
  readonly byKey: ReadonlyMap<string, CompiledPolicy>;
  readonly hasForbid: boolean;

  constructor(
    readonly id: string,
    policies: CompiledPolicy[],
  ) {
    this.byKey = new Map(policies.map((p) => [p.key, p]));
    this.hasForbid = policies.some((p) => p.effect === 'forbid');
    const parsed = preparsePolicySet(id, {
      staticPolicies: Object.fromEntries(policies.map((p) => [p.key, p.text])),
    });
    if (parsed.type === 'failure') throw new Error(`policy set ${id} no longer parses`);
  }

  get empty(): boolean {
    return this.byKey.size === 0;
  }

  evaluate(req: CedarRequest): Verdict {
    // No policies at all: Gatehouse's default is allow (Cedar's would be deny).
    if (this.empty) return { effect: 'allow', policies: [], errors: [] };
    const answer = statefulIsAuthorized({ ...req, preparsedPolicySetId: this.id });
    if (answer.type === 'failure')
      return { effect: 'deny', policies: [], errors: answer.errors.map((e) => e.message) };
    const { decision, diagnostics } = answer.response;
    const determining = diagnostics.reason.map((k) => this.byKey.get(k)).filter((p) => p !== undefined);
    const failed = diagnostics.errors.map((e) => this.byKey.get(e.policyId)).filter((p) => p !== undefined);
    const errors = failed.map((p) => p.id);
    // Cedar skips a policy that errors; a forbid we could not evaluate must not turn into an allow.
    if (failed.some((p) => p.effect === 'forbid'))
      return {
        effect: 'deny',
        policies: failed.filter((p) => p.effect === 'forbid').map((p) => p.id),
        errors,
      };
    const ids = determining.map((p) => p.id);
    if (decision === 'deny') return { effect: 'deny', policies: ids, errors };
    return {
      effect: determining.some((p) => p.approval) ? 'approval_required' : 'allow',
      policies: ids,
      errors,
    };
  }

  /** A record is dropped when a forbid policy matches it (or cannot be evaluated); permits do not matter. */
  dropsRecord(req: CedarRequest): boolean {
    if (!this.hasForbid) return false;
    const v = this.evaluate(req);
    return v.effect === 'deny' && v.policies.length > 0;
  }
}

/** A project's policies at one version, ready to decide. */
export class ProjectPolicies {
  readonly enforced: Evaluable;
  readonly shadows: Array<{ set: string; evaluable: Evaluable }>;

  /** `slot` names the pre-parsed sets in the WASM module; loading again under a slot replaces them. */
  constructor(
    slot: string,
    readonly version: number,
    readonly document: PolicyDocument,
    sets: CompiledSet[],
  ) {
    const enforced = sets.filter((s) => s.mode === 'enforce').flatMap((s) => s.policies);
    this.enforced = new Evaluable(`${slot}:enforce`, enforced);
    this.shadows = sets
      .filter((s) => s.mode === 'shadow')
      .map((s, i) => ({ set: s.name, evaluable: new Evaluable(`${slot}:shadow:${i}`, s.policies) }));
  }

  get none(): boolean {
    return this.enforced.empty && this.shadows.length === 0;
  }

  decide(req: CedarRequest): { verdict: Verdict; shadow: ShadowVerdict[] } {
    return {
      verdict: this.enforced.evaluate(req),
      shadow: this.shadows.map((s) => ({ set: s.set, ...s.evaluable.evaluate(req) })),
    };
  }

  /** Whether any policy could drop a record (saves evaluating every record when none can). */
  get filtersRecords(): boolean {
    return this.enforced.hasForbid || this.shadows.some((s) => s.evaluable.hasForbid);
  }

  /** `undefined`: a record that does not fit its declared type, dropped wherever a forbid could apply. */
  recordDecision(req: CedarRequest | undefined): { drop: boolean; shadowDrops: string[] } {
    if (!req)
      return {
        drop: this.enforced.hasForbid,
        shadowDrops: this.shadows.filter((s) => s.evaluable.hasForbid).map((s) => s.set),
      };
    return {
      drop: this.enforced.dropsRecord(req),
      shadowDrops: this.shadows.filter((s) => s.evaluable.dropsRecord(req)).map((s) => s.set),
    };
  }
}

const NO_POLICIES: PolicyDocument = { sets: [], userAttributes: {} };

/**
 * Pre-parsed policies per project, cached by version. Every decision asks the database for the
 * current version (one index lookup), so a change made through any replica applies at once everywhere.
 */
export class PolicyEngine {
  private readonly cache = new Map<string, ProjectPolicies>();

  constructor(private readonly store: PolicyStore) {}

  async forProject(projectId: string): Promise<ProjectPolicies> {
    const version = await this.store.currentVersion(projectId);
    const cached = this.cache.get(projectId);
    if (cached && cached.version === version) return cached;
    const stored = version === 0 ? undefined : await this.store.get(projectId, version);
    const compiled = compile(stored?.document ?? NO_POLICIES, undefined);
    if (!compiled.ok) throw new Error(`stored policies of ${projectId} do not parse`);
    const loaded = new ProjectPolicies(projectId, version, stored?.document ?? NO_POLICIES, compiled.sets);
    this.cache.set(projectId, loaded);
    return loaded;
  }
}
