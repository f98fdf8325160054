import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import type {
  ApprovalRequiredError,
  AuthorizationRequiredError,
  ExecuteInput,
  ProxyInput,
  ProxyResponse,
  Tool,
  ToolExecution,
  ToolFailure,
  ToolQuery,
} from './tool-types.js';
import type { Page } from './types.js';

const toolPath = (slug: string) => `/v1/tools/${seg(slug)}`;

const toolQuery = (q: ToolQuery) => ({
  userId: q.userId,
  toolkits: q.toolkits?.join(','),
  provider: q.providers?.join(','),
  search: q.search,
  limit: q.limit,
  cursor: q.cursor,
});

/** Tool discovery and execution: `gatehouse.tools`. */
export function toolsApi(http: HttpClient) {
  const list = (q: ToolQuery = {}) => http.request<Page<Tool>>('GET', '/v1/tools', { query: toolQuery(q) });
  return {
    /** Tools with their JSON Schemas; with `userId`, whether that user can run each one now. */
    list,
    /** Every matching tool, page by page, as you consume them: `for await (const t of tools.iterate(q))`. */
    iterate: (q: Omit<ToolQuery, 'cursor'> = {}) => paginate(list, q),
    /** Every matching tool as one array: `list`, following `nextCursor` through all pages. */
    get: async (q: ToolQuery = {}): Promise<Tool[]> => {
      const tools: Tool[] = [];
      for await (const t of paginate(list, q)) tools.push(t);
      return tools;
    },
    /** One tool by slug; throws `GatehouseApiError` with code `tool_not_found` when there is none. */
    retrieve: (slug: string, q: { userId?: string } = {}) =>
      http.request<Tool>('GET', toolPath(slug), { query: { userId: q.userId } }),
    /**
     * Runs a tool as the user. Tool-level failures (the user must connect, the upstream failed) are
     * resolved values with `successful: false`; bad requests (unknown tool, invalid arguments,
     * ambiguous account) throw `GatehouseApiError` with the server's code and details. With an
     * `idempotencyKey`, transient failures are retried (the server runs the call at most once).
     */
    execute: <T = unknown>(
      slug: string,
      input: ExecuteInput,
      options: { signal?: AbortSignal | undefined } = {},
    ) =>
      http.request<ToolExecution<T>>('POST', `${toolPath(slug)}/execute`, {
        body: { ...input, arguments: input.arguments ?? {} },
        signal: options.signal,
        idempotent: input.idempotencyKey !== undefined,
      }),
  };
}

/** A raw request to the provider's API with the account's token injected by Gatehouse. */
export const proxyRequest = (http: HttpClient, input: ProxyInput) =>
  http.request<ProxyResponse>('POST', '/v1/proxy', {
    body: input,
    idempotent: input.idempotencyKey !== undefined,
  });

/** The user has to connect (or reconnect, or grant more scopes): relay `error.details.connectLink`. */
export function isAuthorizationRequired(
  result: ToolExecution,
): result is ToolFailure<AuthorizationRequiredError> {
  return !result.successful && result.error.code === 'authorization_required';
}

/** A policy asks the user to approve this exact call: relay `error.details.approvalUrl`. */
export function isApprovalRequired(result: ToolExecution): result is ToolFailure<ApprovalRequiredError> {
  return (
    !result.successful &&
    result.error.code === 'approval_required' &&
    typeof result.error.details?.approvalUrl === 'string' &&
    typeof result.error.details.approvalId === 'string'
  );
}
