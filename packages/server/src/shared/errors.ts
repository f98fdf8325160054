/**
 * The one error vocabulary of Gatehouse, closed: every code any module returns, throws or answers is
 * a key here, with its HTTP status, grouped by the module that answers it. A code missing from the
 * table is a type error wherever it is used (`Failure.code` is an `ErrorCode`), so there is no
 * silent fallback status. Modules name their subsets as types over it (`ClaimRefusal` in approvals/).
 */
const STATUS = {
  // http/: the request itself
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
  // providers/, auth-configs/, catalog/: definitions and settings
  invalid_provider: 400,
  unsupported_provider: 400,
  provider_unavailable: 400,
  invalid_settings: 400,
  address_not_allowed: 400,
  invalid_toolkit: 400,
  invalid_openapi: 400,
  unknown_toolkit_version: 422,
  // connect/: Connect Links and the hosted flow (shown on the end user's page, stored on the link)
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
  // Static credentials and imported tokens (connect/credentials/): the provider's health check decides.
  credential_rejected: 422,
  credential_check_failed: 502,
  credential_kind_mismatch: 400,
  account_missing: 404,
  account_mismatch: 409,
  // accounts/, tokens/: connected accounts and their credentials
  account_inactive: 409,
  account_revoked: 409,
  token_expired: 409,
  token_refresh_failed: 502,
  secret_unreadable: 500,
  // broker/: execute and proxy (governance answers are tool results on execute, errors on proxy)
  tool_not_found: 404,
  invalid_arguments: 400,
  account_provider_mismatch: 400,
  ambiguous_account: 409,
  // broker/steps/unified-tasks.ts: a unified tool with no (or no fitting) ticketing connection
  no_connection: 409,
  unsupported_operation: 400,
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
  // policy/, approvals/, limits/: governance
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
  // authserver/: Gatehouse as the MCP authorization server (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2)
  invalid_client: 401,
  invalid_grant: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  invalid_scope: 400,
  invalid_target: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  login_failed: 401,
  login_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof STATUS;

export const statusOf = (code: ErrorCode): number => STATUS[code];

/** The whole table, for the SDK's generated copy (`npm run gen:sdk-types`). */
export const errorStatusTable = (): Readonly<Record<ErrorCode, number>> => STATUS;

/** Whether a string from outside (a stored row, a provider) is one of ours. */
export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(STATUS, code);

/** Thrown where unwinding is the clearest control flow (auth guards, `unwrap`). */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  /** Response headers the error needs (an RFC 6750 `WWW-Authenticate` challenge). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'GatehouseError';
    this.code = code;
    this.status = options.status ?? statusOf(code);
    this.details = options.details;
    this.headers = options.headers;
  }
}
