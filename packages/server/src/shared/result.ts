import type { ErrorCode } from './errors.js';

/** Expected failures are values, not exceptions: `{ ok: false, error }` names a stable error code. */
export type Failure = { code: ErrorCode; message: string; details?: Record<string, unknown> };
export type Result<T, E extends Failure = Failure> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export function fail(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): { ok: false; error: Failure } {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}
