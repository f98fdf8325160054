import { z } from 'zod';
import { clientAuthMethod, headers, jsonPath, nonNegativeInt, urlTemplate } from './common.js';

const tokenResponse = z
  .strictObject({
    accessTokenPath: jsonPath('Where the access token is in the token response').default('access_token'),
    refreshTokenPath: jsonPath('Where the refresh token is').default('refresh_token'),
    expiresInPath: jsonPath('Where the lifetime in seconds is').default('expires_in'),
    scopePath: jsonPath('Where the granted scopes are').default('scope'),
    scopeSeparator: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Separator of the granted scopes when it differs from oauth2.scopeSeparator (GitHub answers "repo,gist")',
      ),
    idTokenPath: jsonPath('Where the OpenID Connect ID token is').default('id_token'),
  })
  .describe('Dotted paths into the token endpoint response (Slack nests user tokens under authed_user)');

const scope = z.strictObject({
  name: z.string().min(1).regex(/^\S+$/, { message: 'Scope names contain no whitespace' }),
  description: z.string().min(1),
});

export const oauth2Block = z
  .strictObject({
    authorizationUrl: urlTemplate('Authorization endpoint; may use {{settings.x}}'),
    tokenUrl: urlTemplate('Token endpoint; may use {{settings.x}}'),
    revocation: z
      .strictObject({
        url: urlTemplate('Revocation endpoint (RFC 7009 style: POST token=...)'),
        authMethod: clientAuthMethod
          .optional()
          .describe('Client authentication at the revocation endpoint; defaults to tokenEndpointAuthMethod'),
        tokenTypeHint: z.boolean().default(true).describe('Send token_type_hint (RFC 7009 §2.1)'),
      })
      .optional()
      .describe('Token revocation; the body uses tokenRequestEncoding and the headers tokenHeaders'),
    issuer: urlTemplate('Expected `iss` in the authorization response (RFC 9207)').optional(),
    scopeSeparator: z
      .string()
      .min(1)
      .default(' ')
      .describe('How scopes are joined in the authorization request'),
    scopeParam: z
      .string()
      .min(1)
      .default('scope')
      .describe('Query parameter carrying scopes (Slack user tokens: user_scope)'),
    pkce: z.enum(['required', 'supported', 'unsupported']).describe('PKCE S256 support (RFC 7636)'),
    tokenEndpointAuthMethod: clientAuthMethod.describe('Client authentication at the token endpoint'),
    tokenRequestEncoding: z
      .enum(['form', 'json'])
      .default('form')
      .describe('Token request body encoding (Notion, Atlassian: json)'),
    tokenHeaders: headers(
      'Extra headers on token, refresh and revocation requests (GitHub Accept, Notion-Version)',
    ),
    authorizationParams: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra authorization request parameters'),
    tokenParams: z.record(z.string(), z.string()).default({}).describe('Extra token request parameters'),
    defaultScopes: z
      .array(z.string().min(1))
      .describe('Least-privilege scopes requested when an auth config names none'),
    scopes: z.array(scope).describe("The provider's documented scope vocabulary (a representative subset)"),
    offlineScopes: z
      .array(z.string().min(1))
      .default([])
      .describe('Scopes that must be added to receive a refresh token (offline_access, refresh_token, ...)'),
    defaultTokenLifetimeSeconds: nonNegativeInt
      .nullable()
      .describe('Used when the token response omits expires_in; null = the access token does not expire'),
    refreshLeadTimeSeconds: nonNegativeInt.default(300).describe('Refresh this long before expiry'),
    refreshTokenRotation: z
      .enum(['always', 'optional', 'never', 'none'])
      .describe(
        'always: every refresh returns a new refresh token that replaces the old; optional: a new one may be returned; ' +
          'never: the refresh token stays the same; none: no refresh tokens are issued',
      ),
    refreshTokenReuseWindowSeconds: nonNegativeInt
      .optional()
      .describe('How long a rotated-out refresh token still works (only where documented)'),
    tokenResponse: tokenResponse.prefault({}),
    refreshResponse: tokenResponse
      .optional()
      .describe(
        'Paths in the refresh_token grant response when they differ from the code exchange (Slack user tokens)',
      ),
    errorCodes: z
      .strictObject({
        invalidGrant: z
          .array(z.string().min(1))
          .default(['invalid_grant'])
          .describe('Error codes meaning the grant is gone and the user must reconnect'),
      })
      .prefault({}),
  })
  .describe('OAuth 2.0 authorization code flow; required when authType is oauth2');
