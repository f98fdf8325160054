/**
 * The server's closed table of error codes with their HTTP statuses, generated into
 * `generated/api.ts` by `npm run gen:sdk-types` (a test fails while that file is stale).
 */
import { ERROR_STATUS } from './generated/api.js';

export { ERROR_STATUS };

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
