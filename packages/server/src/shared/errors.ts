/**
 * The one error vocabulary of Gatehouse. Domain code returns or throws these codes; the HTTP layer
 * maps each code to a status in exactly one place (`statusOf`).
 */
const STATUS = {
  invalid_request: 400,
  invalid_json: 400,
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
  secret_unreadable: 500,
  not_ready: 503,
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
