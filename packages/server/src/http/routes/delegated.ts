import type { DelegatedCall } from '../../broker/types.js';
import type { ProjectPrincipal } from '../../projects/api-keys.js';
import { GatehouseError } from '../../shared/errors.js';
import type { Failure } from '../../shared/result.js';
import { bearerError } from '../bearer.js';

/**
 * What a governed call carries of an exchanged token (none for a key). The token acts for its
 * user only: a body naming another user is refused before anything runs.
 */
export function delegatedCall(principal: ProjectPrincipal, userId?: string): DelegatedCall | undefined {
  const d = principal.delegation;
  if (!d) return undefined;
  if (userId !== undefined && userId !== d.userId)
    throw new GatehouseError(
      'forbidden',
      `this token acts for user ${d.userId}; body.userId names another user`,
    );
  return { userId: d.userId, chain: d.chain, scopes: d.scopes };
}

/** A door's rejection as an HTTP error; `insufficient_scope` carries its RFC 6750 challenge. */
export function rejectionError(error: Failure, executionId: string): GatehouseError {
  if (error.code === 'insufficient_scope') {
    const scope = (error.details as { requiredScope?: string } | undefined)?.requiredScope;
    const err = bearerError('insufficient_scope', error.message, scope);
    return new GatehouseError(err.code, err.message, {
      details: { ...error.details, executionId },
      ...(err.headers ? { headers: err.headers } : {}),
    });
  }
  return new GatehouseError(error.code, error.message, { details: { ...error.details, executionId } });
}
