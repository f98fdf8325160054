import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { TestGatehouse } from './gatehouse.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TYPE = {
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  agentKey: 'urn:gatehouse:params:oauth:token-type:agent-key',
} as const;

/**
 * The app's identity provider, as far as Gatehouse sees it: a JWKS endpoint on loopback and
 * RS256 user tokens signed with jose. `audience` is the app's client id at its IdP.
 */
export class TestIdp {
  readonly audience = 'support-app';
  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    private readonly key: PrivateKey,
    readonly kid: string,
  ) {}

  static async start(): Promise<TestIdp> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const kid = randomUUID();
    const jwks = JSON.stringify({
      keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }],
    });
    const server = createServer((req, res) => {
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new TestIdp(server, `http://127.0.0.1:${port}`, privateKey, kid);
  }

  get jwksUri(): string {
    return `${this.issuer}/jwks.json`;
  }

  /** A user token as the app receives it at sign-in. */
  userToken(sub: string, claims: JWTPayload = {}, o: { expiresIn?: number; audience?: string } = {}) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid })
      .setIssuer(this.issuer)
      .setSubject(sub)
      .setAudience(o.audience ?? this.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (o.expiresIn ?? 600))
      .sign(this.key);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** An agent with a registered key pair: it signs RFC 7523 assertions for the token endpoint. */
export class AssertingAgent {
  private constructor(
    readonly id: string,
    private readonly key: PrivateKey,
  ) {}

  static async register(gh: TestGatehouse, adminKey: string, id: string): Promise<AssertingAgent> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    await registerAgent(gh, adminKey, id);
    const res = await gh.call('POST', `/v1/agents/${id}/public-keys`, {
      key: adminKey,
      body: { jwk: await exportJWK(publicKey) },
    });
    if (res.status !== 201) throw new Error(`public key: ${res.status} ${res.text}`);
    return new AssertingAgent(id, privateKey);
  }

  assertion(audience: string, o: { lifetime?: number; jti?: string; iss?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(o.iss ?? this.id)
      .setSubject(this.id)
      .setAudience(audience)
      .setJti(o.jti ?? randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + (o.lifetime ?? 60))
      .sign(this.key);
  }
}

/** Registers an agent; returns its `gth_ak_` key. */
export async function registerAgent(gh: TestGatehouse, adminKey: string, id: string): Promise<string> {
  const res = await gh.call('POST', '/v1/agents', { key: adminKey, body: { id } });
  if (res.status !== 201) throw new Error(`agent ${id}: ${res.status} ${res.text}`);
  return (res.body as { key: { key: string } }).key.key;
}

export interface DelegationView {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  apiAudience: string;
  maxDepth: number;
  tokenTtlSeconds: number;
}

/** Trusts the IdP for the project (admin key) and returns the project's delegation URLs. */
export async function trustIdp(
  gh: TestGatehouse,
  adminKey: string,
  idp: TestIdp,
  settings: Record<string, unknown> = {},
): Promise<DelegationView> {
  const res = await gh.call('PUT', '/v1/settings/delegation', {
    key: adminKey,
    body: {
      trustedIssuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri, audience: idp.audience }],
      ...settings,
    },
  });
  if (res.status !== 200) throw new Error(`delegation settings: ${res.status} ${res.text}`);
  return res.body as DelegationView;
}

/** POSTs a form to the token endpoint, as an app or agent would. */
export async function exchange(
  tokenEndpoint: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, string>; headers: Headers }> {
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, ...form }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string>, headers: res.headers };
}

/** An exchange that must succeed; returns the issued token. */
export async function exchanged(tokenEndpoint: string, form: Record<string, string>): Promise<string> {
  const res = await exchange(tokenEndpoint, form);
  if (res.status !== 200) throw new Error(`exchange: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token!;
}

/** The payload of a JWT, unverified (to show what a token says). */
export const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
