/**
 * The one error vocabulary of Gatehouse. Domain code returns or throws these codes; the HTTP layer
 * maps each code to a status in exactly one place (`statusOf`).
 */
const STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  unknown_scope: 400,
  invalid_arguments: 400,
  invalid_path: 400,
  invalid_provider: 400,
  invalid_toolkit: 400,
  invalid_openapi: 400,
  unsupported_provider: 400,
  provider_unavailable: 400,
  invalid_settings: 400,
  address_not_allowed: 400,
  scope_not_allowed: 400,
  account_provider_mismatch: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  api_key_revoked: 401,
  forbidden: 403,
  not_found: 404,
  tool_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  ambiguous_account: 409,
  account_inactive: 409,
  no_auth_config: 409,
  idempotency_key_reused: 409,
  idempotency_in_progress: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  upstream_blocked: 403,
  upstream_unreachable: 502,
  upstream_response_too_large: 502,
  token_refresh_failed: 502,
  upstream_timeout: 504,
  secret_unreadable: 500,
  not_ready: 503,
  invalid_policy: 400,
  policy_denied: 403,
  proxy_disabled: 403,
  approval_required: 403,
  approval_expired: 410,
  budget_exceeded: 429,
  limits_unavailable: 503,
  account_revoked: 409,
  token_expired: 409,
} as const;

export type ErrorCode = keyof typeof STATUS | (string & {});

export function statusOf(code: ErrorCode): number {
  return (STATUS as Record<string, number>)[code] ?? 400;
}

/** Thrown where unwinding is the clearest control flow (auth guards, `unwrap`). */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'GatehouseError';
    this.code = code;
    this.status = options.status ?? statusOf(code);
    this.details = options.details;
  }
}
