import {
  type ClientErrorCode,
  type CodesWithStatus,
  ERROR_STATUS,
  type GatehouseErrorCode,
  isServerErrorCode,
  type ServerErrorCode,
} from './error-codes.js';

export interface ErrorContext {
  /** Seconds or a date from the answer's `Retry-After`, in milliseconds from now. */
  retryAfterMs?: number | undefined;
  /** The server's `x-request-id`: quote it when reporting a problem. */
  requestId?: string | undefined;
}

/**
 * Every failed call surfaces as this error (or one of its subclasses, one per kind of answer), with
 * the server's stable code. Catch a subclass (`NotFoundError`) or narrow by code with
 * `isGatehouseError(err, 'tool_not_found')`. Messages never contain the API key.
 */
export class GatehouseApiError<C extends string = GatehouseErrorCode | (string & {})> extends Error {
  override readonly name: string = 'GatehouseApiError';
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  constructor(
    readonly status: number,
    readonly code: C,
    message: string,
    readonly details?: Record<string, unknown>,
    context: ErrorContext = {},
  ) {
    super(message);
    this.retryAfterMs = context.retryAfterMs;
    this.requestId = context.requestId;
  }
}

/** 400 and kin: the request is malformed or fails validation (`details.issues` says where). */
export class BadRequestError extends GatehouseApiError<CodesWithStatus<400 | 405 | 413 | 415>> {
  override readonly name = 'BadRequestError';
}
/** 401: the API key is missing, unknown or revoked. */
export class AuthenticationError extends GatehouseApiError<CodesWithStatus<401>> {
  override readonly name = 'AuthenticationError';
}
/** 403: the key's role, a policy or the project's settings refuse this. */
export class PermissionDeniedError extends GatehouseApiError<CodesWithStatus<403>> {
  override readonly name = 'PermissionDeniedError';
}
/** 404: no such resource in this project. */
export class NotFoundError extends GatehouseApiError<CodesWithStatus<404>> {
  override readonly name = 'NotFoundError';
}
/** 409: the resource is not in a state that allows this (an ambiguous account, a pending approval). */
export class ConflictError extends GatehouseApiError<CodesWithStatus<409>> {
  override readonly name = 'ConflictError';
}
/** 410: used up or expired (a Connect Link, an approval). */
export class GoneError extends GatehouseApiError<CodesWithStatus<410>> {
  override readonly name = 'GoneError';
}
/** 429: a rate limit or budget; `retryAfterMs` says when to try again, when the server knows. */
export class RateLimitError extends GatehouseApiError<CodesWithStatus<429>> {
  override readonly name = 'RateLimitError';
}
/** 5xx: Gatehouse or the upstream behind it failed; idempotent calls were already retried. */
export class ServerError extends GatehouseApiError<CodesWithStatus<500 | 502 | 503 | 504>> {
  override readonly name = 'ServerError';
}
/** No answer: Gatehouse unreachable, too slow, or the caller aborted (status 0). */
export class ConnectionError extends GatehouseApiError<'network_error' | 'request_timeout' | 'aborted'> {
  override readonly name = 'ConnectionError';
}

type ErrorClass = new (
  status: number,
  code: never,
  message: string,
  details?: Record<string, unknown>,
  context?: ErrorContext,
) => GatehouseApiError;

const CLASS_OF_STATUS: Record<number, ErrorClass> = {
  400: BadRequestError,
  405: BadRequestError,
  413: BadRequestError,
  415: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  410: GoneError,
  429: RateLimitError,
};

/** The class for an answer: by the code's status in the server's table, else by the HTTP status. */
export function errorFor(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  context: ErrorContext = {},
): GatehouseApiError {
  if (status === 0) return new ConnectionError(0, code as ClientErrorCode & never, message, details, context);
  const known = isServerErrorCode(code) ? ERROR_STATUS[code] : undefined;
  // A code with a status other than its table's (never expected) falls back to the generic class.
  if (known !== undefined && known === status) {
    const Class = known >= 500 ? ServerError : CLASS_OF_STATUS[known];
    if (Class) return new Class(status, code as never, message, details, context);
  }
  return new GatehouseApiError(status, code, message, details, context);
}

/** Narrows an unknown error to a Gatehouse error with one of the given codes. */
export function isGatehouseError<C extends GatehouseErrorCode>(
  err: unknown,
  ...codes: C[]
): err is GatehouseApiError<C> {
  return err instanceof GatehouseApiError && (codes.length === 0 || codes.includes(err.code as C));
}

export type { ClientErrorCode, GatehouseErrorCode, ServerErrorCode };

/** The connection did not become ACTIVE: the link failed or expired, or waiting timed out. */
export class ConnectionFailedError extends Error {
  override readonly name = 'ConnectionFailedError';
  constructor(
    readonly code: 'link_failed' | 'link_expired' | 'timeout' | (string & {}),
    message: string,
    readonly linkId: string,
  ) {
    super(message);
  }
}
