import { renderValue } from '@gatehouse/catalog';
import { type Credentials, isOAuth, secretValues } from '../accounts/credentials.js';
import type { ConnectedAccount } from '../accounts/store.js';
import type { Outbound } from '../outbound/client.js';
import { callUpstream, type RetryPolicy, type UpstreamResponse } from '../outbound/upstream-call.js';
import { type Failure, fail, ok, type Result } from '../shared/result.js';
import type { TokenService, UsableToken } from '../tokens/token-service.js';
import { applyCredential } from './apply-credential.js';
import type { OAuthClient } from './oauth-client.js';
import { apiBaseUrl, type ResolvedProvider } from './resolve.js';

export interface ProviderApiDeps {
  tokens: TokenService;
  outbound: Outbound;
  retry: RetryPolicy;
}

export interface ApiRequest {
  method: string;
  /** Relative to the provider's API base URL, query included; `url` instead for a URL the definition owns. */
  path?: string;
  url?: URL;
  headers?: Record<string, string>;
  body?: string | undefined;
}

export interface ApiCallOptions {
  /** Safe to repeat on a timeout or a 5xx: an idempotent method, or a call carrying an idempotency key. */
  idempotent: boolean;
  retry?: Partial<RetryPolicy>;
}

export type ApiFailure = Failure & { attempts: number };

/** Where the credential comes from: a connected account (refreshable if OAuth) or one just issued or entered. */
type TokenSource =
  | { kind: 'account'; d: ProviderApiDeps; account: ConnectedAccount; client: OAuthClient }
  | { kind: 'issued'; credentials: Credentials };

/**
 * The one client for a user's provider API: the base URL (no path may leave it), the credential applied
 * per its kind (`apply-credential.ts`), the broker's timeouts and retries, one refresh on 401 (OAuth only). A 401 that survives a successful
 * refresh is returned as it is: the provider just issued that token, so the grant is alive (clock
 * skew, propagation, a missing permission); only `invalid_grant` on refresh marks an account REVOKED.
 * `secrets` lists every secret value it touched, for the caller to scrub.
 */
export class ProviderApi {
  readonly secrets: string[];
  #source: TokenSource;
  #token: UsableToken | undefined;
  #upstreamMs: number | undefined;

  private constructor(
    private readonly outbound: Outbound,
    private readonly retry: RetryPolicy,
    readonly provider: ResolvedProvider,
    private readonly connection: Record<string, string>,
    source: TokenSource,
    secrets: string[],
  ) {
    this.#source = source;
    this.secrets = secrets;
  }

  /** A connected account's API. `secrets` may be the caller's list, so the values land where it scrubs. */
  static forAccount(
    d: ProviderApiDeps,
    account: ConnectedAccount,
    auth: { provider: ResolvedProvider; client: OAuthClient },
    secrets: string[] = [],
  ): ProviderApi {
    const clientSecret = auth.client.clientSecret;
    if (clientSecret && !secrets.includes(clientSecret)) secrets.push(clientSecret);
    const source: TokenSource = { kind: 'account', d, account, client: auth.client };
    return new ProviderApi(d.outbound, d.retry, auth.provider, account.connectionConfig, source, secrets);
  }

  /**
   * The API as seen with a credential not stored yet: tokens just issued at connect time, or a key the
   * user entered, for its health check (identity, captured settings too); no refresh.
   */
  static forIssuedToken(
    d: Pick<ProviderApiDeps, 'outbound' | 'retry'>,
    provider: ResolvedProvider,
    credential: string | Credentials,
    connection: Record<string, string> = {},
  ): ProviderApi {
    const credentials: Credentials =
      typeof credential === 'string' ? { accessToken: credential, tokenType: 'Bearer' } : credential;
    return new ProviderApi(
      d.outbound,
      d.retry,
      provider,
      connection,
      { kind: 'issued', credentials },
      secretValues(credentials),
    );
  }

  /** The account as last read (a refresh moves its version on). */
  get account(): ConnectedAccount | undefined {
    return this.#token?.account ?? (this.#source.kind === 'account' ? this.#source.account : undefined);
  }

  /** The absolute URL of a path under the API base: absolute URLs, `//host`, `\` and climbing dot segments are refused. */
  url(path: string): Result<URL> {
    const base = apiBaseUrl(this.provider, this.connection);
    if (!base.ok) return base;
    const url = /^[a-z][a-z0-9+.-]*:/i.test(path)
      ? undefined
      : joinUrl(base.value, path.startsWith('/') ? path : `/${path}`);
    return url
      ? ok(url)
      : fail('invalid_path', `path must be relative to the provider API (${base.value}) and stay inside it`);
  }

  /** A usable access token, refreshed under the account's lease when it is about to expire. */
  async authorize(): Promise<Result<UsableToken | undefined>> {
    if (this.#source.kind === 'issued') return ok(undefined);
    if (this.#token) return ok(this.#token);
    const { d, account, client } = this.#source;
    const token = await d.tokens.accessToken(account, this.provider, client);
    if (!token.ok) return token;
    this.#use(token.value);
    return ok(token.value);
  }

  async request(req: ApiRequest, options: ApiCallOptions): Promise<Result<UpstreamResponse, ApiFailure>> {
    const url = req.url ? ok(req.url) : this.url(req.path ?? '/');
    if (!url.ok) return { ok: false, error: { ...url.error, attempts: 0 } };
    const token = await this.authorize();
    if (!token.ok) return { ok: false, error: { ...token.error, attempts: 0 } };
    const query = this.#defaultQuery();
    if (!query.ok) return { ok: false, error: { ...query.error, attempts: 0 } };
    const api = this.provider.definition.api;
    const applied = this.#apply(withQuery(url.value, query.value));
    let revoked: Failure | undefined;
    const started = performance.now();
    const result = await callUpstream(
      this.outbound,
      Object.assign({}, this.retry, options.retry),
      {
        url: applied.url,
        method: req.method,
        headers: {
          accept: 'application/json',
          ...api.defaultHeaders,
          ...req.headers,
          ...(req.body !== undefined && !hasHeader(req.headers, 'content-type')
            ? { 'content-type': 'application/json' }
            : {}),
          ...applied.headers,
        },
        body: req.body,
        idempotent: options.idempotent,
        internal: this.provider.internal,
        rateLimit: api.rateLimit,
      },
      async () => {
        // A static key cannot be refreshed: the provider's 401 is the answer.
        if (!isOAuth(this.#credentials())) return undefined;
        const refreshed = await this.#refresh();
        if (refreshed.ok) return { headers: this.#apply(applied.url).headers };
        if (refreshed.error.code === 'account_revoked') revoked = refreshed.error;
        return undefined;
      },
    );
    this.#upstreamMs = (this.#upstreamMs ?? 0) + performance.now() - started;
    if (revoked && result.ok) return { ok: false, error: { ...revoked, attempts: result.value.attempts } };
    return result;
  }

  /**
   * Time spent waiting on the provider's API in `request` (every attempt, the waits between them, a
   * refresh after a 401): what a call's duration owes to the upstream rather than to Gatehouse.
   * Undefined until the API was called.
   */
  get upstreamMs(): number | undefined {
    return this.#upstreamMs;
  }

  async #refresh(): Promise<Result<UsableToken>> {
    if (this.#source.kind === 'issued')
      return fail('token_refresh_failed', 'a token issued at connect time is not refreshed');
    const { d, client } = this.#source;
    const seen = this.account!;
    const refreshed = await d.tokens.refresh(seen, this.provider, client, 'rejected');
    if (refreshed.ok) this.#use(refreshed.value);
    return refreshed;
  }

  #use(token: UsableToken): void {
    this.#token = token;
    this.secrets.push(...secretValues(token.credentials));
  }

  #credentials(): Credentials {
    return this.#source.kind === 'issued' ? this.#source.credentials : this.#token!.credentials;
  }

  /**
   * `api.defaultQuery` rendered with the auth config's settings (Trello's app key). The values join
   * the scrub list: configuration, not a user's secret, but nothing a caller or a log should see.
   */
  #defaultQuery(): Result<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    const vars = { settings: this.provider.settings, connection: this.connection };
    for (const [name, template] of Object.entries(this.provider.definition.api.defaultQuery)) {
      const r = renderValue(template, vars);
      if (!r.ok) return fail('invalid_provider', `api.defaultQuery.${name}: ${r.error.message}`);
      if (r.value !== '' && !this.secrets.includes(r.value)) this.secrets.push(r.value);
      out.push([name, r.value]);
    }
    return ok(out);
  }

  #apply(url: URL): { url: URL; headers: Record<string, string> } {
    return applyCredential(this.provider.definition, this.#credentials(), url);
  }
}

/** The definition's parameters win over a caller's of the same name (a proxy path's own `key`). */
function withQuery(url: URL, query: Array<[string, string]>): URL {
  if (query.length === 0) return url;
  const out = new URL(url);
  for (const [name, value] of query) out.searchParams.set(name, value);
  return out;
}

const hasHeader = (headers: Record<string, string> | undefined, name: string) =>
  Object.keys(headers ?? {}).some((h) => h.toLowerCase() === name);

/**
 * Joins the provider's base URL and a relative path, refusing anything that would leave the base:
 * absolute URLs, scheme-relative `//host`, backslashes, and dot segments that climb out of it.
 */
export function joinUrl(base: string, path: string): URL | undefined {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return undefined;
  const baseUrl = new URL(base);
  let url: URL;
  try {
    url = new URL(`${base}${path}`);
  } catch {
    return undefined;
  }
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  if (url.origin !== baseUrl.origin) return undefined;
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return undefined;
  return url;
}
