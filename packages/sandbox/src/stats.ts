/** Counters a test or benchmark reads through `sandbox.stats()` or `GET /control/stats`. */
export interface SandboxStats {
  /** requests that reached the token endpoint (faulted requests are not counted) */
  tokenRequests: number;
  /** successful authorization_code exchanges */
  authorizationCodeGrants: number;
  /** successful refresh_token exchanges */
  refreshGrants: number;
  /** consumed refresh tokens presented again (each one revoked its whole grant) */
  refreshReuseDetected: number;
  /** rotated-out refresh tokens presented again inside the reuse window (tolerated, not revoked) */
  refreshReuseInWindow: number;
  /** requests that reached the Tasks API (faulted requests are not counted) */
  apiRequests: number;
  /** requests answered or delayed by a fault */
  faultsApplied: number;
}

export function createStats(): SandboxStats {
  return {
    tokenRequests: 0,
    authorizationCodeGrants: 0,
    refreshGrants: 0,
    refreshReuseDetected: 0,
    refreshReuseInWindow: 0,
    apiRequests: 0,
    faultsApplied: 0,
  };
}

export interface IssuedTokenValues {
  accessTokens: string[];
  refreshTokens: string[];
}

/** Every token value the token endpoint handed out, so tests can search logs and databases for them. */
export class IssuedTokens {
  readonly #accessTokens: string[] = [];
  readonly #refreshTokens: string[] = [];

  record(tokenResponse: { access_token?: unknown; refresh_token?: unknown }): void {
    if (typeof tokenResponse.access_token === 'string') this.#accessTokens.push(tokenResponse.access_token);
    if (typeof tokenResponse.refresh_token === 'string')
      this.#refreshTokens.push(tokenResponse.refresh_token);
  }

  snapshot(): IssuedTokenValues {
    return { accessTokens: [...this.#accessTokens], refreshTokens: [...this.#refreshTokens] };
  }
}
