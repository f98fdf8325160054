import { signAssertion, verifyAssertion } from '../authserver/project-assertions.js';
import type { SigningKeys } from '../authserver/signing-keys.js';
import type { ConnectSettingsStore } from '../connect/connect-settings.js';
import type { LoginVerifier } from '../connect/hosted-flow.js';
import { randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Approval, Approvals } from './approvals.js';

/** How long the app has to confirm its user after the decision on the page (the assertion's lifetime). */
export const DECISION_ASSERTION_TTL_MS = 5 * 60_000;
/** The assertion's JOSE `typ`: never accepted as a link verification or an access token. */
export const DECISION_ASSERTION_TYP = 'gatehouse-approval-verification+jwt';

/**
 * Who may decide an approval on the hosted page. The approval URL reaches the agent first (it is in
 * the tool result), so where it matters holding the URL is not enough: an agent could open the page
 * and approve its own call. First rule that applies:
 * 1. `signed_in` — asked over an MCP session with a sign-in: only a browser signed in at that server
 *    profile as the approval's user decides (the binding MCP Connect Links use).
 * 2. `app_verifier` — the project has a user verifier (`PUT /v1/settings/connect`): the page's
 *    decision goes to the app's verifier with a signed, short-lived assertion; it counts once the app
 *    confirms, with an admin key, that its own signed-in user is the approval's user.
 * 3. `app_only` — production without either: the page shows the call; only the app (admin key) decides.
 * 4. `link` — development: holding the link is enough. The agent could approve itself; never production.
 */
export type DecisionBinding =
  | { kind: 'signed_in'; realm: string }
  | { kind: 'app_verifier'; verifierUrl: string }
  | { kind: 'app_only' }
  | { kind: 'link' };

export type Decision = 'approve' | 'deny';

export interface DecisionBindingDeps {
  approvals: Approvals;
  settings: ConnectSettingsStore;
  signingKeys: SigningKeys;
  logins: LoginVerifier | undefined;
  /** `GATEHOUSE_PUBLIC_URL`: the assertion's issuer. */
  issuer: string;
  production: boolean;
  ttlMs?: number | undefined;
}

export class ApprovalDecisions {
  private readonly ttlMs: number;

  constructor(private readonly d: DecisionBindingDeps) {
    this.ttlMs = d.ttlMs ?? DECISION_ASSERTION_TTL_MS;
  }

  async bindingFor(projectId: string, approval: Approval): Promise<DecisionBinding> {
    if (approval.requiredLogin) return { kind: 'signed_in', realm: approval.requiredLogin };
    const { userVerification } = await this.d.settings.get(projectId);
    if (userVerification.enabled && userVerification.verifierUrl)
      return { kind: 'app_verifier', verifierUrl: userVerification.verifierUrl };
    return this.d.production ? { kind: 'app_only' } : { kind: 'link' };
  }

  /**
   * For `signed_in`: the user signed in at the realm in this browser must be the approval's user.
   * Not signed in: `login_required` with where to sign in (and come back to `returnTo`).
   */
  async checkSignedIn(
    projectId: string,
    approval: Approval,
    realm: string,
    cookies: Record<string, string | undefined>,
    returnTo: string,
  ): Promise<Result<string>> {
    const logins = this.d.logins;
    if (!logins) return fail('login_unavailable', 'This approval cannot be verified here.');
    const user = await logins.signedInUser(projectId, realm, cookies);
    if (user === undefined)
      return fail('login_required', 'Sign in to continue.', { loginUrl: logins.loginUrl(realm, returnTo) });
    if (user !== approval.userId)
      return fail('user_mismatch', 'This request belongs to another user. Sign in as that user.');
    return ok(user);
  }

  /** For `app_verifier`: where to send the browser, with the decision in a signed assertion. */
  async verifierRedirect(
    projectId: string,
    approval: Approval,
    decision: Decision,
    verifierUrl: string,
  ): Promise<string> {
    const assertion = await signAssertion(this.d, projectId, {
      typ: DECISION_ASSERTION_TYP,
      claims: { approval_id: approval.id, user_id: approval.userId, decision },
      jti: randomToken(32),
      expiresAt: new Date(Date.now() + this.ttlMs),
    });
    const url = new URL(verifierUrl);
    url.searchParams.set('approval_id', approval.id);
    url.searchParams.set('user_id', approval.userId);
    url.searchParams.set('assertion', assertion);
    return url.toString();
  }

  /**
   * The app's answer (admin key): `userId` is the user signed in to the app in the browser that
   * brought the assertion. The decision is the one the user made on the page, carried in the
   * assertion; the approval's single pending → decided transition makes a replay a `conflict`.
   */
  async confirm(
    projectId: string,
    approvalId: string,
    userId: string,
    assertion: string,
    apiKeyId: string,
  ): Promise<Result<Approval>> {
    const found = await this.d.approvals.get(projectId, approvalId);
    if (!found.ok) return found;
    const claims = await this.verifyAssertion(projectId, approvalId, assertion);
    if (!claims.ok) return claims;
    if (userId !== found.value.userId || claims.value.userId !== found.value.userId)
      return fail('user_mismatch', "The decision was made by someone other than the approval's user.");
    return this.d.approvals.decide(projectId, approvalId, claims.value.decision, {
      kind: 'verified_user',
      userId,
      apiKeyId,
    });
  }

  private async verifyAssertion(
    projectId: string,
    approvalId: string,
    assertion: string,
  ): Promise<Result<{ userId: string; decision: Decision }>> {
    const invalid = (why: string) => fail('invalid_token', `The decision assertion ${why}.`);
    const verified = await verifyAssertion(this.d, projectId, assertion, DECISION_ASSERTION_TYP);
    if (!verified.ok) return invalid(verified.why);
    const { payload } = verified;
    if (payload.approval_id !== approvalId) return invalid('is for another approval');
    const decision = payload.decision;
    if (typeof payload.user_id !== 'string' || (decision !== 'approve' && decision !== 'deny'))
      return invalid('is malformed');
    return ok({ userId: payload.user_id, decision });
  }
}
