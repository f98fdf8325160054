import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  UrlElicitationRequiredError,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { allowsRisk, scopeForRisk } from '../authserver/scopes.js';
import type { ToolDiscovery } from '../broker/discovery.js';
import type { ExecuteOutcome } from '../broker/execute.js';
import type { CallLog, ExecuteRequest } from '../broker/types.js';
import type { ToolCatalog } from '../catalog/tool-catalog.js';
import type { ConnectLinks } from '../connect/links.js';
import type { Failure } from '../shared/result.js';
import type { McpPrincipal } from './gate.js';
import { EXECUTE_TOOL, META_TOOLS, SEARCH_TOOLS, searchTools } from './meta-tools.js';
import { toolFor } from './tool-for.js';
import { approvalResult, connectLinkOf, errorResult, successResult, toMcpTool } from './tool-results.js';

export interface ProtocolServerDeps {
  catalog: ToolCatalog;
  tools: ToolDiscovery;
  execute(req: ExecuteRequest): Promise<ExecuteOutcome>;
  connectLinks: ConnectLinks;
}

export interface CallContext {
  traceId: string;
  /** The HTTP request's span and sampling decision: the parent of the tool call's trace spans. */
  spanId: string;
  sampled: boolean;
  /** The client declared URL-mode elicitation (MCP 2025-11-25 `elicitation.url`) at initialize. */
  urlElicitation: boolean;
  /** The HTTP request's access-log record of the governed call (the last one, in a batch). */
  callLog?: CallLog | undefined;
}

// Compiling validators is the costly part of Ajv; one instance serves every request.
const validator = new AjvJsonSchemaValidator();

/**
 * One MCP server per HTTP request (the transport is stateless), bound to the authenticated user:
 * `tools/list` shows that user's tools of the exposed toolkits; `tools/call` runs the broker's
 * execute pipeline (policy, audit, metrics, retries) with the MCP client as the acting agent.
 */
export function createProtocolServer(p: McpPrincipal, d: ProtocolServerDeps, call: CallContext): Server {
  const server = new Server(
    { name: 'gatehouse', title: p.serverName, version: '0.1.0' },
    {
      capabilities: { tools: { listChanged: false } },
      instructions:
        `Tools act in ${p.userId}'s own connected accounts. When a tool answers that authorization is required, ` +
        'give the user the link it returns; they connect the account in their browser, then call the tool again. ' +
        'When a tool answers that approval is required, give the user the approval link; once they approve, ' +
        'call the tool again with the same arguments.',
      jsonSchemaValidator: validator,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    if (p.toolMode === 'search') return { tools: META_TOOLS };
    const views = await d.tools.list(p.projectId, { userId: p.userId, toolkits: p.toolkits });
    return { tools: views.map(toMcpTool) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    if (p.toolMode === 'search' && request.params.name === SEARCH_TOOLS)
      return searchTools(await d.catalog.forProject(p.projectId), p.toolkits, args);
    if (p.toolMode === 'search' && request.params.name === EXECUTE_TOOL) {
      const inner = args.arguments;
      if (
        typeof args.tool !== 'string' ||
        (inner !== undefined && (typeof inner !== 'object' || inner === null))
      )
        return errorResult({
          code: 'invalid_arguments',
          message: 'give tool (a name) and arguments (an object)',
        });
      return callTool(args.tool, (inner ?? {}) as Record<string, unknown>);
    }
    return callTool(request.params.name, args);
  });

  async function callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    const found = toolFor(await d.catalog.forProject(p.projectId), p, name);
    if (!found) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    if (!allowsRisk(p.scopes, found.tool.risk))
      return errorResult({
        code: 'insufficient_scope',
        message: `${name} needs the ${scopeForRisk(found.tool.risk)} scope`,
      });
    const outcome = await d.execute({
      projectId: p.projectId,
      userId: p.userId,
      agentId: p.agentId,
      delegation: p.delegation,
      traceId: call.traceId,
      spanId: call.spanId,
      sampled: call.sampled,
      callLog: call.callLog,
      slug: name,
      arguments: args,
      // An MCP client cannot name an approval: repeating the approved call is how it uses one.
      adoptApprovedApproval: true,
      loginRealm: p.loginRealm ?? undefined,
    });
    if (outcome.kind === 'rejected')
      return errorResult(outcome.error, {
        executionId: outcome.executionId,
        ...safeDetails(outcome.error.details),
      });
    const result = outcome.result;
    if (result.successful) return successResult(result.data, result.nextCursor);
    const error = result.error!;
    if (error.code === 'authorization_required') return authorizationRequired(p, d, call, error);
    if (error.code === 'approval_required' && call.urlElicitation) approvalElicitation(error);
    const approval = approvalResult(error, result.executionId);
    if (approval) return approval;
    return errorResult(error, { executionId: result.executionId });
  }
  return server;
}

/**
 * The user has not connected (or must reconnect, or step up) the upstream account. The link is
 * first bound to the user's sign-in at this server profile, so only this user's browser can
 * complete it. Then: a URL-mode elicitation when the client supports it, else a tool error with the link.
 */
async function authorizationRequired(
  p: McpPrincipal,
  d: ProtocolServerDeps,
  call: CallContext,
  error: NonNullable<Parameters<typeof errorResult>[0]>,
): Promise<CallToolResult> {
  const link = connectLinkOf(error);
  if (!link) return errorResult(error);
  if (p.loginRealm) {
    const bound = await d.connectLinks.requireLogin(p.projectId, link.id, p.loginRealm);
    if (!bound.ok)
      return errorResult({ code: 'internal_error', message: 'the connect link could not be prepared' });
  }
  const message = `${error.message}. Open the link to connect the account, then try again.`;
  if (call.urlElicitation)
    throw new UrlElicitationRequiredError(
      [{ mode: 'url', elicitationId: link.id, url: link.redirectUrl, message }],
      message,
    );
  return errorResult(
    { code: error.code, message: `${message} ${link.redirectUrl}` },
    { connectUrl: link.redirectUrl, ...safeDetails(error.details) },
  );
}

/**
 * A client that supports URL-mode elicitation gets the approval page as one (MCP 2025-11-25,
 * `-32042`): it asks its user to open the URL, then repeats the call, which finds the approval.
 */
function approvalElicitation(error: Failure): void {
  const url = error.details?.approvalUrl;
  const id = error.details?.approvalId;
  if (typeof url !== 'string' || typeof id !== 'string') return;
  const message = 'This call needs your approval. Open the link to review and approve it, then try again.';
  throw new UrlElicitationRequiredError([{ mode: 'url', elicitationId: id, url, message }], message);
}

/** Broker details worth showing a model (reason, provider, scopes), never anything else. */
function safeDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!details) return {};
  const out: Record<string, unknown> = {};
  for (const key of ['reason', 'provider', 'missingScopes', 'issues', 'candidates'])
    if (key in details) out[key] = details[key];
  return out;
}
