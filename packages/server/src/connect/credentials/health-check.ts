import type { Credentials } from '../../accounts/credentials.js';
import { bodyError } from '../../providers/error-body.js';
import { ProviderApi, type ProviderApiDeps } from '../../providers/provider-api.js';
import type { ResolvedProvider } from '../../providers/resolve.js';
import { fail, ok, type Result } from '../../shared/result.js';

const CHECK_CALL = { idempotent: true, retry: { timeoutMs: 10_000, maxAttempts: 2 } };

/**
 * Step 2: the provider's declared health check (`api.healthCheck`) with the credential applied, before
 * anything is saved. 401/403 mean the provider refused the credential; anything else that is not 2xx
 * means it could not be checked, and nothing is saved either. Provider text is never passed on.
 */
export async function checkCredential(
  d: Pick<ProviderApiDeps, 'outbound' | 'retry'>,
  p: ResolvedProvider,
  credentials: Credentials,
): Promise<Result<true>> {
  const check = p.definition.api.healthCheck;
  if (!check)
    return fail(
      'invalid_provider',
      `provider ${p.id} declares no api.healthCheck, so a credential for it cannot be verified`,
    );
  const api = ProviderApi.forIssuedToken(d, p, credentials);
  const res = await api.request(
    {
      method: check.method,
      path: check.path,
      ...(check.body === undefined ? {} : { body: JSON.stringify(check.body) }),
    },
    CHECK_CALL,
  );
  if (!res.ok)
    return fail('credential_check_failed', `${p.definition.displayName} could not be reached to check it`);
  const status = res.value.status;
  if (status === 401 || status === 403)
    return fail('credential_rejected', `${p.definition.displayName} refused the credential (HTTP ${status})`);
  if (status < 200 || status >= 300)
    return fail(
      'credential_check_failed',
      `${p.definition.displayName} answered the health check with HTTP ${status}`,
    );
  // A 2xx that reports a failure in its body (Slack's auth.test: ok false, invalid_auth) is a refusal.
  if (bodyError(p.definition.api.errorBody, parseJson(res.value.body)) !== undefined)
    return fail(
      'credential_rejected',
      `${p.definition.displayName} refused the credential (an error answer)`,
    );
  return ok(true);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
