import type { Credentials } from '../../accounts/credentials.js';
import type { ResolvedProvider } from '../../providers/resolve.js';
import { fail, ok, type Result } from '../../shared/result.js';

/** What an app submits (or the hosted page collects): one shape per credential kind. */
export type CredentialInput =
  | { type: 'api_key'; apiKey: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password?: string | undefined }
  | {
      /** An OAuth token issued elsewhere (migration from another broker); the refresher takes it over. */
      type: 'oauth2';
      accessToken: string;
      refreshToken?: string | undefined;
      /** When the access token expires; absent: it does not, or the provider did not say. */
      expiresAt?: Date | undefined;
      scopes?: string[] | undefined;
    };

/**
 * Step 1: the input must be the kind the provider takes, and well formed (the definition's `pattern`),
 * before anything is sent upstream. Never echoes the value in a message.
 */
export function toCredentials(p: ResolvedProvider, input: CredentialInput): Result<Credentials> {
  const authType = p.definition.authType;
  if (input.type !== authType)
    return fail(
      'credential_kind_mismatch',
      `${p.definition.displayName} takes ${authType} credentials, not ${input.type}`,
      { expected: authType },
    );
  const pattern = p.definition.apiKey?.pattern;
  const malformed = (what: string) =>
    fail('credential_rejected', `the ${what} does not look like a ${p.definition.displayName} ${what}`);
  switch (input.type) {
    case 'api_key':
      if (pattern && !new RegExp(pattern).test(input.apiKey)) return malformed('API key');
      return ok({ kind: 'api_key', apiKey: input.apiKey });
    case 'bearer':
      if (pattern && !new RegExp(pattern).test(input.token)) return malformed('token');
      return ok({ kind: 'bearer', token: input.token });
    case 'basic': {
      const password = input.password ?? '';
      if (p.definition.basic?.passwordRequired !== false && password === '')
        return fail('invalid_request', `${p.definition.displayName} needs a password`);
      // RFC 7617 §2: the user-id cannot contain a colon.
      if (input.username.includes(':')) return fail('invalid_request', 'the username cannot contain ":"');
      return ok({ kind: 'basic', username: input.username, password });
    }
    case 'oauth2':
      return ok({
        accessToken: input.accessToken,
        tokenType: 'Bearer',
        ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
      });
  }
}
