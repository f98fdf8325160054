/** Every failed call surfaces as this error, carrying the server's stable error code. */
export class GatehouseApiError extends Error {
  override readonly name = 'GatehouseApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The connection did not become ACTIVE: the link failed or expired, or waiting timed out. */
export class ConnectionFailedError extends Error {
  override readonly name = 'ConnectionFailedError';
  constructor(
    readonly code: 'link_failed' | 'link_expired' | 'timeout' | string,
    message: string,
    readonly linkId: string,
  ) {
    super(message);
  }
}
