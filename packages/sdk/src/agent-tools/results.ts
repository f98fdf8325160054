import { GatehouseApiError } from '../errors.js';
import type { AuthorizationRequired, ToolExecution } from '../tool-types.js';
import { isApprovalRequired, isAuthorizationRequired } from '../tools.js';

/** What the model receives from a Gatehouse tool: plain JSON it can reason about and relay. */
export type GatehouseToolResult =
  | { data: unknown; nextCursor?: string }
  | {
      authorizationRequired: true;
      /** A sentence the model can pass on to the user. */
      message: string;
      /** The Connect Link the user opens to connect, reconnect or grant the missing scopes. */
      connectUrl: string;
      expiresAt: string;
      provider: string;
      missingScopes: string[];
    }
  | {
      approvalRequired: true;
      /** A sentence the model can pass on to the user, with the link and what happens next. */
      message: string;
      /** The hosted page where the user approves or denies this exact call. */
      approvalUrl: string;
      approvalId: string;
      expiresAt: string;
    }
  | { error: { code: string; message: string; approvalId?: string } };

export function toModelResult(result: ToolExecution): GatehouseToolResult {
  if (result.successful) {
    return result.nextCursor === null
      ? { data: result.data }
      : { data: result.data, nextCursor: result.nextCursor };
  }
  if (isAuthorizationRequired(result)) {
    const details = result.error.details;
    return {
      authorizationRequired: true,
      message: authorizationMessage(details),
      connectUrl: details.connectLink.redirectUrl,
      expiresAt: details.connectLink.expiresAt,
      provider: details.provider,
      missingScopes: details.missingScopes,
    };
  }
  if (isApprovalRequired(result)) {
    const { approvalId, approvalUrl, expiresAt } = result.error.details;
    return {
      approvalRequired: true,
      message: `This needs the user's approval. Ask them to open ${approvalUrl} and approve it, then make the same call again with exactly the same arguments; it runs once.`,
      approvalUrl,
      approvalId,
      expiresAt,
    };
  }
  // Details (an upstream error body, say) stay out: the message already summarises them.
  const approvalId = result.error.details?.approvalId;
  return typeof approvalId === 'string' && result.error.code.startsWith('approval_')
    ? { error: { code: result.error.code, message: result.error.message, approvalId } }
    : { error: { code: result.error.code, message: result.error.message } };
}

function authorizationMessage(d: AuthorizationRequired): string {
  const scopes = d.missingScopes.length > 0 ? ` (${d.missingScopes.join(', ')})` : '';
  const what = {
    no_account: `connect their ${d.provider} account${scopes}`,
    missing_scopes: `grant more ${d.provider} permissions${scopes}`,
    reconnect: `reconnect their ${d.provider} account${scopes}`,
  }[d.reason];
  return `Before this can be done, the user must ${what}. Ask them to open ${d.connectLink.redirectUrl} and try again once they have.`;
}

/**
 * A rejected request the model can act on (invalid arguments, an ambiguous or unknown account, a
 * rate limit) becomes a result; failures of the deployment itself (the API key, the network,
 * Gatehouse answering 5xx) are thrown, and the AI SDK reports them as tool errors.
 */
export function requestErrorResult(err: unknown): GatehouseToolResult | undefined {
  if (!(err instanceof GatehouseApiError)) return undefined;
  if (err.status === 0 || err.status === 401 || err.status >= 500) return undefined;
  return { error: { code: err.code, message: err.message } };
}
