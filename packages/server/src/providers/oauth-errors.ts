import type { Scrubber } from '../broker/scrub.js';

/**
 * What Gatehouse says about a provider's OAuth error: its error code and a fixed sentence for it.
 * The provider's `error_description` (and `error_uri`) is free text that can quote the refresh
 * token, the client secret or the code (some token endpoints do), so it is never shown to the agent,
 * the end user or the database — nor logged.
 */
const MESSAGES: Record<string, string> = {
  // RFC 6749 §4.1.2.1 (authorization response) and §5.2 (token endpoint)
  invalid_request: 'The provider rejected the request as malformed.',
  invalid_client:
    'The provider did not accept the app’s client credentials; the app’s configuration needs attention.',
  invalid_grant:
    'The provider no longer accepts this authorization (it expired or was revoked); connect the account again.',
  unauthorized_client: 'The provider does not allow this app to use this kind of authorization.',
  unsupported_grant_type: 'The provider does not support this kind of authorization.',
  unsupported_response_type: 'The provider does not support this kind of authorization.',
  access_denied: 'Access was declined at the provider.',
  invalid_scope: 'The provider refused the requested permissions.',
  server_error: 'The provider had an internal error; try again later.',
  temporarily_unavailable: 'The provider is temporarily unavailable; try again later.',
  // OpenID Connect Core §3.1.2.6
  login_required: 'The provider requires you to sign in first.',
  consent_required: 'The provider requires your consent first.',
  interaction_required: 'The provider requires you to complete a step at its site first.',
  account_selection_required: 'The provider requires you to choose an account first.',
};

const GENERIC = 'The provider refused the request.';
export const UNKNOWN_PROVIDER_ERROR = 'unknown_error';

/**
 * The provider's error code, if it looks like one (a short token of letters, digits, `_.-`) and
 * holds no known secret; otherwise `unknown_error`.
 */
export function providerErrorCode(raw: unknown, scrubber?: Scrubber): string {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) return UNKNOWN_PROVIDER_ERROR;
  if (scrubber && scrubber.string(raw) !== raw) return UNKNOWN_PROVIDER_ERROR;
  return raw;
}

/** The fixed sentence for an (already checked) provider error code; unknown codes get a generic one. */
export function providerErrorMessage(code: string): string {
  return Object.hasOwn(MESSAGES, code) ? MESSAGES[code]! : GENERIC;
}
