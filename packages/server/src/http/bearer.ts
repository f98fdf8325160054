import { GatehouseError } from '../shared/errors.js';

const quoted = (s: string) => s.replace(/["\\]/g, '');

/**
 * RFC 6750 §3: the challenge of a bearer-token error. `invalid_token` (401: expired, another
 * audience, a bad signature, an unknown issuer) and `insufficient_scope` (403, naming the scope the
 * call needs, §3.1) are the token's faults; the client fixes them with a new token.
 */
export function bearerError(
  code: 'invalid_token' | 'insufficient_scope',
  description: string,
  scope?: string,
): GatehouseError {
  const challenge = [
    'Bearer realm="gatehouse"',
    `error="${code}"`,
    `error_description="${quoted(description)}"`,
    ...(scope ? [`scope="${quoted(scope)}"`] : []),
  ].join(', ');
  return new GatehouseError(code, description, {
    headers: { 'www-authenticate': challenge },
    ...(scope ? { details: { requiredScope: scope } } : {}),
  });
}
