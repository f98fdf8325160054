import { cedar, loadCedar } from './cedar.js';
import { type CompiledPolicy, type CompiledSet, compile, type PolicyDocument } from './compile.js';
import type { PolicyStore } from './policy-store.js';
import {
  type CedarRequest,
  cedarRequest,
  type DecisionInput,
  type Vocabulary,
  vocabularyOf,
} from './request.js';

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

  constructor(
    readonly id: string,
    policies: CompiledPolicy[],
  ) {
    this.byKey = new Map(policies.map((p) => [p.key, p]));
    const parsed = cedar().preparsePolicySet(id, {
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
    const answer = cedar().statefulIsAuthorized(Object.assign({}, req, { preparsedPolicySetId: this.id }));
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
    if (this.empty) return false;
    const v = this.evaluate(req);
    return v.effect === 'deny' && v.policies.length > 0;
  }
}

// Only forbids that mention `record` can treat records differently from the call they belong to
// (which was allowed): record checks evaluate just those.
const recordForbids = (policies: CompiledPolicy[]) =>
  policies.filter((p) => p.effect === 'forbid' && vocabularyOf([p.text]).has('record'));

/** A project's policies at one version, ready to decide. */
export class ProjectPolicies {
  readonly enforced: Evaluable;
  readonly shadows: Array<{ set: string; evaluable: Evaluable }>;
  private readonly records: Evaluable;
  private readonly shadowRecords: Array<{ set: string; evaluable: Evaluable }>;
  private readonly callWords: Vocabulary;
  private readonly recordWords: Vocabulary;

  /** `slot` names the pre-parsed sets in the WASM module; loading again under a slot replaces them. */
  constructor(
    slot: string,
    readonly version: number,
    readonly document: PolicyDocument,
    sets: CompiledSet[],
  ) {
    const enforced = sets.filter((s) => s.mode === 'enforce').flatMap((s) => s.policies);
    const shadows = sets.filter((s) => s.mode === 'shadow');
    this.enforced = new Evaluable(`${slot}:enforce`, enforced);
    this.shadows = shadows.map((s, i) => ({
      set: s.name,
      evaluable: new Evaluable(`${slot}:shadow:${i}`, s.policies),
    }));
    this.records = new Evaluable(`${slot}:records`, recordForbids(enforced));
    this.shadowRecords = shadows
      .map((s, i) => ({
        set: s.name,
        evaluable: new Evaluable(`${slot}:records:${i}`, recordForbids(s.policies)),
      }))
      .filter((s) => !s.evaluable.empty);
    const texts = (ps: CompiledPolicy[]) => ps.map((p) => p.text);
    this.callWords = vocabularyOf(sets.flatMap((s) => texts(s.policies)));
    this.recordWords = vocabularyOf([
      ...texts(recordForbids(enforced)),
      ...shadows.flatMap((s) => texts(recordForbids(s.policies))),
    ]);
  }

  get none(): boolean {
    return this.enforced.empty && this.shadows.length === 0;
  }

  /**
   * Whether any policy (enforced or shadow) names this attribute: one named nowhere cannot change a
   * decision, so what it costs to know (a provider read) can be skipped.
   */
  mentions(name: string): boolean {
    return !this.none && this.callWords.has(name);
  }

  /** @throws Unrepresentable when an argument the policies mention does not fit its Cedar type. */
  decide(input: DecisionInput): { verdict: Verdict; shadow: ShadowVerdict[] } {
    const req = cedarRequest(input, this.callWords);
    return {
      verdict: this.enforced.evaluate(req),
      shadow: this.shadows.map((s) => ({ set: s.set, ...s.evaluable.evaluate(req) })),
    };
  }

  /** Whether an enforced policy drops records (a raw answer that cannot be filtered must not pass). */
  get enforcesRecords(): boolean {
    return !this.records.empty;
  }

  /** Whether any policy could drop a record (saves evaluating every record when none can). */
  get filtersRecords(): boolean {
    return !this.records.empty || this.shadowRecords.length > 0;
  }

  /** The request every record check extends with `context.record`. */
  recordBase(input: DecisionInput): { request: CedarRequest; words: Vocabulary } {
    return { request: cedarRequest(input, this.recordWords), words: this.recordWords };
  }

  /** `undefined`: a record that does not fit its declared type, dropped wherever a forbid could apply. */
  recordDecision(req: CedarRequest | undefined): { drop: boolean; shadowDrops: string[] } {
    if (!req) return { drop: !this.records.empty, shadowDrops: this.shadowRecords.map((s) => s.set) };
    return {
      drop: this.records.dropsRecord(req),
      shadowDrops: this.shadowRecords.filter((s) => s.evaluable.dropsRecord(req)).map((s) => s.set),
    };
  }
}

const NO_POLICIES: PolicyDocument = { sets: [], userAttributes: {} };

/**
 * Pre-parsed policies per project, cached by version. Every decision asks the store for the current
 * version (cached; a change on any replica drops it everywhere on its notification, see PolicyStore).
 */
export class PolicyEngine {
  private readonly cache = new Map<string, ProjectPolicies>();

  constructor(private readonly store: PolicyStore) {}

  async forProject(projectId: string): Promise<ProjectPolicies> {
    await loadCedar();
    const version = await this.store.currentVersion(projectId);
    const cached = this.cache.get(projectId);
    if (cached && cached.version === version) return cached;
    const stored = version === 0 ? undefined : await this.store.get(projectId, version);
    const compiled = compile(stored?.document ?? NO_POLICIES, undefined);
    if (!compiled.ok) throw new Error(`stored policies of ${projectId} do not parse`);
    // The version is part of the slot: a call still holding the previous version (its record filter
    // runs after the upstream answers) keeps evaluating exactly the policies it was decided with.
    // Old slots stay in the WASM module (a few KB per policy change and replica).
    const slot = `${projectId}:v${version}`;
    const loaded = new ProjectPolicies(slot, version, stored?.document ?? NO_POLICIES, compiled.sets);
    this.cache.set(projectId, loaded);
    return loaded;
  }
}
