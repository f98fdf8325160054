/**
 * The server's closed table of error codes (packages/server/src/shared/errors.ts) with their HTTP
 * statuses, as the SDK sees them. test/error-codes.test.ts fails when the two tables drift apart.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_path: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  api_key_revoked: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
  invalid_provider: 400,
  unsupported_provider: 400,
  provider_unavailable: 400,
  invalid_settings: 400,
  address_not_allowed: 400,
  invalid_toolkit: 400,
  invalid_openapi: 400,
  unknown_toolkit_version: 422,
  unknown_scope: 400,
  scope_not_allowed: 400,
  no_auth_config: 409,
  auth_config_unavailable: 409,
  link_not_found: 404,
  link_used: 410,
  link_expired: 410,
  link_failed: 409,
  state_unknown: 400,
  state_replayed: 400,
  state_mismatch: 400,
  browser_mismatch: 400,
  user_mismatch: 403,
  login_required: 401,
  invalid_callback: 400,
  provider_denied: 403,
  provider_error: 502,
  provider_unreachable: 502,
  provider_invalid_response: 502,
  token_exchange_failed: 502,
  connection_config_failed: 502,
  account_missing: 404,
  account_mismatch: 409,
  account_inactive: 409,
  account_revoked: 409,
  token_expired: 409,
  token_refresh_failed: 502,
  secret_unreadable: 500,
  tool_not_found: 404,
  invalid_arguments: 400,
  account_provider_mismatch: 400,
  ambiguous_account: 409,
  authorization_required: 403,
  idempotency_key_reused: 409,
  idempotency_in_progress: 409,
  proxy_disabled: 403,
  upstream_blocked: 403,
  upstream_error: 502,
  upstream_rate_limited: 429,
  upstream_unreachable: 502,
  upstream_response_too_large: 502,
  upstream_timeout: 504,
  invalid_policy: 400,
  policy_denied: 403,
  approval_required: 403,
  approval_not_found: 404,
  approval_pending: 409,
  approval_denied: 403,
  approval_used: 409,
  approval_mismatch: 409,
  approval_expired: 410,
  budget_exceeded: 429,
  limits_unavailable: 503,
  invalid_client: 401,
  invalid_grant: 400,
  invalid_token: 401,
  credential_rejected: 422,
  credential_check_failed: 502,
  credential_kind_mismatch: 400,
  insufficient_scope: 403,
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  invalid_scope: 400,
  invalid_target: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  login_failed: 401,
  login_unavailable: 503,
} as const;

/** A code the server answers with (`error.code` of an HTTP error, or of a failed tool result). */
export type ServerErrorCode = keyof typeof ERROR_STATUS;

/** Codes the SDK itself uses when no answer came back, or the answer was not Gatehouse's. */
export type ClientErrorCode =
  | 'network_error'
  | 'request_timeout'
  | 'aborted'
  | 'invalid_response'
  | 'http_error';

export type GatehouseErrorCode = ServerErrorCode | ClientErrorCode;

/** The server codes answered with a given HTTP status. */
export type CodesWithStatus<S extends number> = {
  [C in ServerErrorCode]: (typeof ERROR_STATUS)[C] extends S ? C : never;
}[ServerErrorCode];

export const isServerErrorCode = (code: string): code is ServerErrorCode => Object.hasOwn(ERROR_STATUS, code);
