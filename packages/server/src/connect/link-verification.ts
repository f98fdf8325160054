import type { StaticCredentials } from '../accounts/credentials.js';
import type { AccountStore, ConnectedAccount } from '../accounts/store.js';
import type { AccountTransitions } from '../accounts/transitions.js';
import type { AuthConfigService } from '../auth-configs/service.js';
import { signAssertion, verifyAssertion } from '../authserver/project-assertions.js';
import type { SigningKeys } from '../authserver/signing-keys.js';
import type { TokenSet } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { randomToken } from '../shared/ids.js';
import { type Failure, fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { Vault } from '../vault/vault.js';
import type { ConnectSettingsStore } from './connect-settings.js';
import type { ConnectLink, LinkStore } from './link-store.js';
import { sha256Hex } from './links.js';
import { saveConnection, storeConnection, targetOfLink } from './save-connection.js';

/** How long the app has to confirm its user after the provider sign-in (the assertion's lifetime). */
export const VERIFICATION_TTL_MS = 5 * 60_000;
/** The assertion's JOSE `typ`: never accepted where an access token (`at+jwt`) is expected. */
export const ASSERTION_TYP = 'gatehouse-link-verification+jwt';

export interface LinkVerificationDeps {
  db: Db;
  vault: Vault;
  links: LinkStore;
  accounts: AccountStore;
  authConfigs: AuthConfigService;
  transitions: AccountTransitions;
  settings: ConnectSettingsStore;
  /** The project's ES256 key (the one that signs its MCP access tokens; the `typ` keeps uses apart). */
  signingKeys: SigningKeys;
  /** `GATEHOUSE_PUBLIC_URL`: the assertion's issuer. */
  issuer: string;
  ttlMs?: number | undefined;
}

/**
 * What a finished sign-in (OAuth tokens) or a verified typed credential leaves to save, held
 * encrypted on the link until the app confirms.
 */
interface HeldConnection {
  tokens?: TokenSet;
  credentials?: StaticCredentials;
  identity: { subject: string | null; displayName: string | null };
  connection: Record<string, string>;
  receivedAt: number;
}

const expired: Failure = { code: 'link_expired', message: 'This link expired before it was confirmed.' };
const heldBinding = (id: string) => ({ table: 'connect_links', rowId: id, purpose: 'pending_connection' });

/**
 * Connect Links bound to the intended user. A link URL is a bearer URL: with the project's user
 * verification on, the hosted flow does not save what the provider returned; it holds it on the link
 * (`hold`) and sends the browser to the app's verifier with a signed, single-use, short-lived
 * assertion. The app signs its own user in and `confirm`s with that user's id; only a match saves
 * the connection. A mismatch burns the link and discards the held tokens.
 */
export class LinkVerification {
  private readonly ttlMs: number;

  constructor(private readonly d: LinkVerificationDeps) {
    this.ttlMs = d.ttlMs ?? VERIFICATION_TTL_MS;
  }

  /** The verifier URL when this link must be confirmed by the app; links bound to a login never are. */
  async verifierFor(link: ConnectLink): Promise<string | undefined> {
    if (link.requiredLogin) return undefined;
    const { userVerification } = await this.d.settings.get(link.projectId);
    return userVerification.enabled ? userVerification.verifierUrl : undefined;
  }

  /** Holds the connection on the link and answers where to send the browser (with the assertion). */
  async hold(
    link: ConnectLink,
    verifierUrl: string,
    held: Omit<HeldConnection, 'receivedAt'>,
  ): Promise<Result<string>> {
    await this.d.links.sweepExpiredHolds(link.projectId);
    const jti = randomToken(32);
    const expiresAt = new Date(Date.now() + this.ttlMs);
    const pending: HeldConnection = { ...held, receivedAt: Date.now() };
    const pendingCt = await this.d.vault.encrypt(
      link.projectId,
      heldBinding(link.id),
      JSON.stringify(pending),
    );
    const marked = await this.d.links.holdForVerification(link.projectId, link.id, {
      pendingCt,
      jtiHash: sha256Hex(jti),
      expiresAt,
    });
    if (!marked) return fail('link_used', 'This link can no longer be used.');
    const assertion = await signAssertion(this.d, link.projectId, {
      typ: ASSERTION_TYP,
      claims: { link_id: link.id, user_id: link.userId },
      jti,
      expiresAt,
    });
    const url = new URL(verifierUrl);
    url.searchParams.set('connect_link_id', link.id);
    url.searchParams.set('user_id', link.userId);
    url.searchParams.set('assertion', assertion);
    return ok(url.toString());
  }

  /**
   * The app's answer: `userId` is the user signed in to the app in the browser that brought the
   * assertion. Checked in order: link exists → assertion (signature, type, issuer, project, expiry,
   * this link) → link state → user → single use; then the held connection is saved.
   */
  async confirm(
    projectId: string,
    linkId: string,
    userId: string,
    assertion: string,
  ): Promise<Result<{ link: ConnectLink; account: ConnectedAccount }>> {
    const found = await this.d.links.getWithSecrets(projectId, linkId);
    if (!found) return fail('not_found', `connect link ${linkId} not found`);
    const { link } = found;
    const claims = await this.verifyAssertion(projectId, linkId, assertion);
    if (!claims.ok) {
      // Past its time the held sign-in is of no use to anyone: drop it with the link.
      if (link.status === 'EXPIRED') await this.burn(link, expired);
      return claims;
    }
    if (link.status === 'COMPLETED') return fail('link_used', 'This link has already been confirmed.');
    if (link.status === 'FAILED')
      return fail('link_failed', link.failure?.message ?? 'This link has failed.');
    if (link.status === 'EXPIRED') return this.burn(link, expired);
    if (link.status !== 'VERIFYING')
      return fail('conflict', 'This link has no sign-in waiting for confirmation.');
    if (userId !== link.userId || claims.value.userId !== link.userId)
      return this.burn(link, {
        code: 'user_mismatch',
        message: "The account was connected by someone other than the link's user; it was discarded.",
      });
    const pendingCt = await this.d.links.claimAssertion(projectId, linkId, sha256Hex(claims.value.jti));
    if (!pendingCt) return fail('link_used', 'This assertion was already used.');
    const opened = await this.d.vault.decrypt(projectId, heldBinding(linkId), pendingCt);
    if (!opened.ok)
      return this.burn(link, { code: 'internal_error', message: 'The connection could not be completed.' });
    const held = JSON.parse(opened.value) as HeldConnection;
    const loaded = await this.d.authConfigs.load(projectId, link.authConfigId);
    if (!loaded.ok)
      return this.burn(link, { code: 'auth_config_unavailable', message: loaded.error.message });
    const saved = held.tokens
      ? await saveConnection(
          this.d,
          link,
          loaded.value.provider,
          aged(held.tokens, held.receivedAt, loaded.value.provider),
          held.identity,
          held.connection,
        )
      : held.credentials
        ? await storeConnection(
            this.d,
            targetOfLink(link),
            loaded.value.provider,
            { credentials: held.credentials, scopes: [], expiresAt: null },
            held.identity,
            held.connection,
          )
        : fail('internal_error', 'The held connection is incomplete.');
    if (!saved.ok) return this.burn(link, saved.error);
    return ok({
      link: { ...link, status: 'COMPLETED', connectedAccountId: saved.value.id, completedAt: new Date() },
      account: saved.value,
    });
  }

  private async verifyAssertion(
    projectId: string,
    linkId: string,
    assertion: string,
  ): Promise<Result<{ jti: string; userId: string }>> {
    const invalid = (why: string) => fail('invalid_token', `The verification assertion ${why}.`);
    const verified = await verifyAssertion(this.d, projectId, assertion, ASSERTION_TYP);
    if (!verified.ok) return invalid(verified.why);
    const { payload } = verified;
    if (payload.link_id !== linkId) return invalid('is for another link');
    if (typeof payload.user_id !== 'string') return invalid('is malformed');
    return ok({ jti: payload.jti, userId: payload.user_id });
  }

  /** Fails the link and drops the held tokens (they belong to whoever signed in at the provider). */
  private async burn(link: ConnectLink, failure: Failure): Promise<{ ok: false; error: Failure }> {
    await this.d.links.fail(link.projectId, link.id, { code: failure.code, message: failure.message });
    return { ok: false, error: failure };
  }
}

/** The token's lifetime counts from when the provider issued it, not from the confirmation. */
function aged(tokens: TokenSet, receivedAt: number, p: ResolvedProvider): TokenSet {
  const seconds = tokens.expiresIn ?? p.oauth2?.defaultTokenLifetimeSeconds ?? null;
  if (seconds === null) return tokens;
  const elapsed = Math.floor((Date.now() - receivedAt) / 1000);
  return { ...tokens, expiresIn: Math.max(0, seconds - elapsed) };
}
