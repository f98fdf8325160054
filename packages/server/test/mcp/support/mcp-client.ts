import { randomBytes } from 'node:crypto';
import { type OAuthClientProvider, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { HeadlessBrowser, Page } from './headless-browser.js';

/** An MCP client's OAuth state kept in memory, as a desktop client would keep it on disk. */
export class TestOAuthProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  lastState = '';
  authorizationUrl: URL | undefined;

  constructor(
    readonly redirectUrl: string,
    private readonly metadata: Partial<OAuthClientMetadata> = {},
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Test MCP client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...this.metadata,
    };
  }
  state(): string {
    this.lastState = randomBytes(16).toString('hex');
    return this.lastState;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.client = undefined;
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
  }
}

/** Every MCP message body the client received from `/mcp…`, for searching for leaked secrets. */
export class MessageLog {
  readonly bodies: string[] = [];
  /** The Server-Timing header of every MCP answer that had one (a tool call that reached the provider). */
  readonly timings: string[] = [];
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.pathname.startsWith('/mcp/')) {
      this.bodies.push(await res.clone().text());
      const timing = res.headers.get('server-timing');
      if (timing) this.timings.push(timing);
    }
    return res;
  };
  text(): string {
    return this.bodies.join('\n');
  }
}

export interface McpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Pages the browser saw during sign-in and consent (empty when no authorization was needed). */
  pages: Page[];
}

/**
 * Connects the official SDK client to an MCP URL. When the server answers 401, the SDK discovers the
 * metadata, registers and builds the authorization URL; the headless browser signs in and consents;
 * the SDK exchanges the code and the client connects again.
 */
export async function connectMcp(
  url: string,
  o: {
    provider: TestOAuthProvider;
    browser: HeadlessBrowser;
    user: string;
    consent?: 'approve' | 'deny';
    capabilities?: ClientCapabilities;
    log?: MessageLog;
  },
): Promise<McpConnection> {
  const make = () => {
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      authProvider: o.provider,
      ...(o.log ? { fetch: o.log.fetch } : {}),
    });
    const client = new Client(
      { name: 'gatehouse-test', version: '1.0.0' },
      { capabilities: o.capabilities ?? {} },
    );
    return { client, transport };
  };
  const first = make();
  try {
    await first.client.connect(first.transport);
    return { ...first, pages: [] };
  } catch (err) {
    if (!(err instanceof UnauthorizedError)) throw err;
  }
  const pages: Page[] = [];
  const redirectOrigin = new URL(o.provider.redirectUrl).origin;
  const driven = await o.browser.drive(o.provider.authorizationUrl!.href, {
    stopAt: (next) => next.origin === redirectOrigin,
    user: o.user,
    ...(o.consent ? { consent: o.consent } : {}),
    onPage: (p) => pages.push(p),
  });
  if (!('stoppedAt' in driven))
    throw new Error(`authorization stopped at a page: ${driven.page.html.slice(0, 400)}`);
  const callback = driven.stoppedAt;
  if (callback.searchParams.get('state') !== o.provider.lastState) throw new Error('state mismatch');
  const code = callback.searchParams.get('code');
  if (!code) throw new AuthorizationDenied(callback);
  await first.transport.finishAuth(code);
  const second = make();
  await second.client.connect(second.transport);
  return { ...second, pages };
}

export class AuthorizationDenied extends Error {
  constructor(readonly callback: URL) {
    super(`authorization ended with ${callback.searchParams.get('error')}`);
  }
}
