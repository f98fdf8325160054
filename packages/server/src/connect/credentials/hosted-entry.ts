import { timingSafeEqual } from 'node:crypto';
import type { StaticCredentials } from '../../accounts/credentials.js';
import type { AuthConfigService } from '../../auth-configs/service.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { CallbackOutcome, FlowFailure, HostedFlow, OpenedLink } from '../hosted-flow.js';
import type { LinkVerification } from '../link-verification.js';
import { sha256Hex } from '../links.js';
import { type SaveDeps, storeConnection, targetOfLink } from '../save-connection.js';
import type { CredentialConnections } from './connect-credentials.js';
import type { CredentialInput } from './input.js';

export interface HostedEntryDeps extends SaveDeps {
  flow: HostedFlow;
  credentials: CredentialConnections;
  authConfigs: AuthConfigService;
  verification?: LinkVerification | undefined;
}

/** What the form posts; which fields count depends on the provider's auth type. */
export interface EntryFields {
  apiKey?: string | undefined;
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

function inputOf(authType: string, f: EntryFields): CredentialInput | undefined {
  if (authType === 'api_key') return f.apiKey ? { type: 'api_key', apiKey: f.apiKey } : undefined;
  if (authType === 'bearer') return f.token ? { type: 'bearer', token: f.token } : undefined;
  if (authType === 'basic')
    return f.username ? { type: 'basic', username: f.username, password: f.password ?? '' } : undefined;
  return undefined;
}

/** A refusal the page shows next to the form again (a mistyped key), with the link still usable. */
export type EntryFailure = FlowFailure & { retry?: boolean };

/**
 * The CSRF token of the entry form: bound to this browser (its HttpOnly binding cookie, which another
 * site can neither read nor set) and to this link, so a form posted from elsewhere is refused.
 */
export const entryCsrf = (browserId: string, linkId: string): string =>
  sha256Hex(`connect-entry:${linkId}:${browserId}`);

const sameToken = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The hosted Connect page for providers with static credentials: open the link → check the CSRF
 * token → verify the credential with the provider's health check → (user verification: hold) →
 * store and complete the link. A refused credential leaves the link open for another try.
 */
export class HostedEntry {
  constructor(private readonly d: HostedEntryDeps) {}

  async submit(
    linkId: string,
    key: string,
    browserId: string | undefined,
    csrf: string,
    cookies: Record<string, string | undefined>,
    fields: EntryFields,
  ): Promise<Result<CallbackOutcome, EntryFailure>> {
    const opened = await this.d.flow.open(linkId, key, cookies);
    if (!opened.ok) return opened;
    const { link, provider } = opened.value;
    if (!browserId || !sameToken(entryCsrf(browserId, link.id), csrf))
      return {
        ok: false,
        error: {
          code: 'forbidden',
          message: 'This form was not sent from its page in this browser; reload the link.',
          link,
        },
      };
    if (provider.oauth2)
      return fail('invalid_request', 'This provider connects by signing in, not with a key.');
    const loaded = await this.d.authConfigs.load(link.projectId, link.authConfigId);
    if (!loaded.ok) return fail('auth_config_unavailable', loaded.error.message);
    const input = inputOf(provider.definition.authType, fields);
    if (!input)
      return {
        ok: false,
        error: { code: 'invalid_request', message: 'Fill in every field.', link, retry: true },
      };
    const verified = await this.d.credentials.verify(provider, loaded.value.client, input);
    if (!verified.ok) return { ok: false, error: { ...verified.error, link, retry: true } };
    const { grant, identity, connection } = verified.value;
    const verifierUrl = await this.d.verification?.verifierFor(link);
    if (verifierUrl && this.d.verification) {
      const held = await this.d.verification.hold(link, verifierUrl, {
        credentials: grant.credentials as StaticCredentials,
        identity,
        connection,
      });
      if (!held.ok) return held;
      return ok({ link: { ...link, status: 'VERIFYING' }, verifyUrl: held.value });
    }
    const saved = await storeConnection(this.d, targetOfLink(link), provider, grant, identity, connection);
    if (!saved.ok) return { ok: false, error: { ...saved.error, link } };
    return ok({
      link: { ...link, status: 'COMPLETED', connectedAccountId: saved.value.id },
      account: saved.value,
    });
  }

  /** Whether an opened link is for a provider that takes a typed credential. */
  static takesEntry(opened: OpenedLink): boolean {
    return opened.provider.oauth2 === undefined;
  }
}
