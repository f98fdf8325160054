import { timingSafeEqual } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { AccountStore, ConnectedAccount } from '../accounts/store.js';
import type { AccountTransitions } from '../accounts/transitions.js';
import type { AuthConfigService } from '../auth-configs/service.js';
import type { AuthConfig } from '../auth-configs/store.js';
import { Scrubber } from '../broker/scrub.js';
import type { Outbound } from '../outbound/client.js';
import type { RetryPolicy } from '../outbound/upstream-call.js';
import { buildAuthorizationUrl, exchangeCode, validateCallback } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { randomToken } from '../shared/ids.js';
import { type Failure, fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { Vault } from '../vault/vault.js';
import type { ConnectLink, LinkSecrets, LinkStore } from './link-store.js';
import type { LinkVerification } from './link-verification.js';
import { sha256Hex } from './links.js';
import { captureConnectionConfig, grantOfTokens, identify, saveConnection } from './save-connection.js';

export interface HostedFlowDeps {
  db: Db;
  vault: Vault;
  outbound: Outbound;
  retry: RetryPolicy;
  links: LinkStore;
  accounts: AccountStore;
  authConfigs: AuthConfigService;
  /** Makes the account ACTIVE (and records `connection.active`) when a flow completes. */
  transitions: AccountTransitions;
  /** `${GATEHOUSE_PUBLIC_URL}/oauth/callback`: the one redirect URI registered with every provider. */
  redirectUri: string;
  /** Checks links that require a signed-in user (created for MCP tool calls); absent, such links never open. */
  logins?: LoginVerifier | undefined;
  /** Projects that require user verification: the finished sign-in waits for the app's confirmation. */
  verification?: LinkVerification | undefined;
}

/** How a callback ends: a saved connection, or one held until the app confirms its user. */
export type CallbackOutcome =
  | { link: ConnectLink; account: ConnectedAccount }
  | { link: ConnectLink; verifyUrl: string };

/**
 * Who is signed in, in this browser, at a login realm (an MCP server profile's authorization
 * server). A link with `requiredLogin` opens only for its own user, so a link minted for one user's
 * MCP session cannot be completed by someone else's browser.
 */
export interface LoginVerifier {
  signedInUser(
    projectId: string,
    realm: string,
    cookies: Record<string, string | undefined>,
  ): Promise<string | undefined>;
  loginUrl(realm: string, returnTo: string): string;
}

export interface OpenedLink {
  link: ConnectLink;
  config: AuthConfig;
  provider: ResolvedProvider;
}

/** A failure the browser sees, with the link it concerns when one is known (for "back to app"). */
export type FlowFailure = Failure & { link?: ConnectLink };

const verifierBinding = (id: string) => ({ table: 'connect_links', rowId: id, purpose: 'pkce_verifier' });
const sameHash = (a: string | null, b: string): boolean =>
  a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The browser side of a Connect Link, as a pipeline of small checks:
 * open (link + key) → start (state, PKCE, browser binding) → callback (state → link, single use,
 * expiry, browser, provider error and `iss`, code exchange, capture, identify, save).
 */
export class HostedFlow {
  constructor(private readonly d: HostedFlowDeps) {}

  /** Loads a link for its hosted page. Wrong key and unknown id are indistinguishable. */
  async open(
    linkId: string,
    key: string,
    cookies: Record<string, string | undefined> = {},
  ): Promise<Result<OpenedLink, FlowFailure>> {
    const found = await this.d.links.getForHostedFlow(linkId);
    if (!found || !sameHash(found.secrets.keyHash, sha256Hex(key)))
      return fail('link_not_found', 'This link is not valid.');
    const { link } = found;
    if (link.status === 'COMPLETED' || link.status === 'VERIFYING')
      return { ok: false, error: { code: 'link_used', message: 'This link has already been used.', link } };
    if (link.status === 'FAILED')
      return {
        ok: false,
        error: { code: 'link_failed', message: link.failure?.message ?? 'This link has failed.', link },
      };
    if (link.status === 'EXPIRED')
      return this.failLink(link, {
        code: 'link_expired',
        message: 'This link has expired. Ask the app for a new one.',
      });
    if (link.requiredLogin) {
      const checked = await this.checkSignedInUser(link, key, cookies);
      if (!checked.ok) return checked;
    }
    const loaded = await this.d.authConfigs.load(link.projectId, link.authConfigId);
    if (!loaded.ok)
      return this.failLink(link, { code: 'auth_config_unavailable', message: loaded.error.message });
    return ok({ link, config: loaded.value.config, provider: loaded.value.provider });
  }

  /** Starts the authorization: fresh state and PKCE verifier per attempt, bound to this browser. */
  async start(
    linkId: string,
    key: string,
    browserId: string,
    cookies: Record<string, string | undefined> = {},
  ): Promise<Result<string, FlowFailure>> {
    const opened = await this.open(linkId, key, cookies);
    if (!opened.ok) return opened;
    const { link } = opened.value;
    const loaded = await this.d.authConfigs.load(link.projectId, link.authConfigId);
    if (!loaded.ok)
      return this.failLink(link, { code: 'auth_config_unavailable', message: loaded.error.message });
    const { provider, client } = loaded.value;
    const state = `${link.id}.${randomToken(32)}`;
    const usePkce = provider.oauth2?.pkce !== 'unsupported';
    const verifier = usePkce ? oauth.generateRandomCodeVerifier() : undefined;
    const marked = await this.d.links.markOpened(link.projectId, link.id, {
      stateHash: sha256Hex(state),
      browserHash: sha256Hex(browserId),
      codeVerifierCt: verifier
        ? await this.d.vault.encrypt(link.projectId, verifierBinding(link.id), verifier)
        : null,
    });
    if (!marked) return fail('link_used', 'This link can no longer be used.');
    return ok(
      buildAuthorizationUrl(provider, client, {
        redirectUri: this.d.redirectUri,
        scopes: link.scopes,
        state,
        codeChallenge: verifier ? await oauth.calculatePKCECodeChallenge(verifier) : undefined,
      }),
    );
  }

  async callback(
    callbackUrl: URL,
    browserId: string | undefined,
  ): Promise<Result<CallbackOutcome, FlowFailure>> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    const linkId = state.split('.')[0] ?? '';
    const found = /^cl_[0-9a-z]{26}$/.test(linkId) ? await this.d.links.getForHostedFlow(linkId) : undefined;
    if (!found)
      return fail('state_unknown', 'This sign-in response does not belong to any connection in progress.');
    const { link, secrets } = found;
    const checked = await this.checkCallbackState(link, secrets, state, browserId);
    if (!checked.ok) return checked;

    const loaded = await this.d.authConfigs.load(link.projectId, link.authConfigId);
    if (!loaded.ok)
      return this.failLink(link, { code: 'auth_config_unavailable', message: loaded.error.message });
    const { provider, client } = loaded.value;
    // What this callback handles that must never reach the page, the API or the link row.
    const inPlay = [client.clientSecret, callbackUrl.searchParams.get('code')];
    const params = validateCallback(provider, client, callbackUrl, state);
    if (!params.ok) return this.failLink(link, params.error, inPlay);

    let verifier: string | undefined;
    if (secrets.codeVerifierCt) {
      const opened = await this.d.vault.decrypt(
        link.projectId,
        verifierBinding(link.id),
        secrets.codeVerifierCt,
      );
      if (!opened.ok)
        return this.failLink(link, {
          code: 'internal_error',
          message: 'The connection could not be completed.',
        });
      verifier = opened.value;
      inPlay.push(verifier);
    }
    const tokens = await exchangeCode(
      this.d.outbound,
      provider,
      client,
      params.value,
      this.d.redirectUri,
      verifier,
    );
    if (!tokens.ok)
      return this.failLink(link, { code: 'token_exchange_failed', message: tokens.error.message }, inPlay);
    inPlay.push(tokens.value.accessToken, tokens.value.refreshToken, tokens.value.idToken);
    const issued = { ...tokens.value, credentials: grantOfTokens(provider, tokens.value).credentials };
    const connection = await captureConnectionConfig(this.d, provider, issued);
    if (!connection.ok) return this.failLink(link, connection.error, inPlay);
    const who = await identify(this.d, provider, issued, connection.value);
    const verifierUrl = await this.d.verification?.verifierFor(link);
    if (verifierUrl && this.d.verification) {
      const held = await this.d.verification.hold(link, verifierUrl, {
        tokens: tokens.value,
        identity: who,
        connection: connection.value,
      });
      if (!held.ok) return this.failLink(link, held.error, inPlay);
      return ok({ link: { ...link, status: 'VERIFYING' }, verifyUrl: held.value });
    }
    const saved = await saveConnection(this.d, link, provider, tokens.value, who, connection.value);
    if (!saved.ok) return this.failLink(link, saved.error, inPlay);
    return ok({
      link: { ...link, status: 'COMPLETED', connectedAccountId: saved.value.id },
      account: saved.value,
    });
  }

  /** State must match, be used once, arrive in time and in the browser that started the flow. */
  private async checkCallbackState(
    link: ConnectLink,
    secrets: LinkSecrets,
    state: string,
    browserId: string | undefined,
  ): Promise<Result<true, FlowFailure>> {
    if (secrets.stateUsedAt || link.status === 'COMPLETED') {
      return this.failLink(link, {
        code: 'state_replayed',
        message: 'This sign-in response was already used.',
      });
    }
    if (!sameHash(secrets.stateHash, sha256Hex(state))) {
      return this.failLink(link, {
        code: 'state_mismatch',
        message: 'The sign-in response does not match this connection (state mismatch).',
      });
    }
    if (link.status === 'EXPIRED')
      return this.failLink(link, {
        code: 'link_expired',
        message: 'This link expired before the sign-in finished.',
      });
    if (link.status !== 'OPENED')
      return this.failLink(link, {
        code: 'link_failed',
        message: link.failure?.message ?? 'This connection has failed.',
      });
    if (!browserId) {
      return this.failLink(link, {
        code: 'browser_mismatch',
        message:
          'The sign-in finished without the cookie set when it started (different browser, or cookies blocked).',
      });
    }
    if (!sameHash(secrets.browserHash, sha256Hex(browserId))) {
      return this.failLink(link, {
        code: 'browser_mismatch',
        message: 'The sign-in finished in a different browser than the one that started it.',
      });
    }
    if (!(await this.d.links.consumeState(link.projectId, link.id))) {
      return this.failLink(link, {
        code: 'state_replayed',
        message: 'This sign-in response was already used.',
      });
    }
    return ok(true);
  }

  /**
   * Not signed in: `login_required` with where to sign in (the link stays usable). Signed in as
   * someone else: the link is burned, since it has been shown to a browser that is not its user's.
   */
  private async checkSignedInUser(
    link: ConnectLink,
    key: string,
    cookies: Record<string, string | undefined>,
  ): Promise<Result<true, FlowFailure>> {
    const realm = link.requiredLogin!;
    const logins = this.d.logins;
    if (!logins)
      return this.failLink(link, {
        code: 'login_unavailable',
        message: 'This link cannot be verified here.',
      });
    const user = await logins.signedInUser(link.projectId, realm, cookies);
    if (user === undefined) {
      const returnTo = `/connect/${link.id}?key=${encodeURIComponent(key)}`;
      return fail('login_required', 'Sign in to continue.', { loginUrl: logins.loginUrl(realm, returnTo) });
    }
    if (user !== link.userId)
      return this.failLink(link, {
        code: 'user_mismatch',
        message: 'This link belongs to another user. Sign in as that user and ask for a new link.',
      });
    return ok(true);
  }

  /**
   * Records the failure on the link and returns it for the page. The message shown and stored holds
   * none of `secrets`, and no provider free text (provider errors arrive as code + fixed sentence).
   */
  private async failLink(
    link: ConnectLink,
    failure: Failure,
    secrets: (string | null | undefined)[] = [],
  ): Promise<{ ok: false; error: FlowFailure }> {
    const message = new Scrubber(secrets).string(failure.message);
    await this.d.links.fail(link.projectId, link.id, { code: failure.code, message });
    return {
      ok: false,
      error: {
        code: failure.code,
        message,
        link: { ...link, status: link.status === 'COMPLETED' ? 'COMPLETED' : 'FAILED' },
      },
    };
  }
}
