import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolView } from '../broker/discovery.js';
import type { Failure } from '../shared/result.js';

/**
 * Tool names are the catalog slugs unchanged (`acme.tasks.create`): MCP tool names may contain
 * `A-Z a-z 0-9 _ - .` (SEP-986, MCP 2025-11-25), so no mapping is needed and none can collide.
 */
export function toMcpTool(view: ToolView): Tool {
  const status = view.connection?.status;
  const note =
    status === 'connected' || status === undefined
      ? ''
      : `\n\nNot usable yet (${status.replace('_', ' ')}): calling it returns a link for the user to connect their ${view.provider} account.`;
  const schema = (view.inputSchema ?? {}) as Record<string, unknown>;
  return {
    name: view.slug,
    title: view.name,
    description: `${view.description}${note}`,
    inputSchema: { ...schema, type: 'object' } as Tool['inputSchema'],
    annotations: {
      title: view.name,
      readOnlyHint: view.risk === 'read',
      destructiveHint: view.risk === 'destructive' || view.risk === 'financial',
      openWorldHint: true,
    },
  };
}

/** A successful call: the data as JSON text, and as structured content (lists wrapped with their cursor). */
export function successResult(data: unknown, nextCursor: string | null): CallToolResult {
  const structured: Record<string, unknown> =
    data !== null && typeof data === 'object' && !Array.isArray(data) && nextCursor === null
      ? (data as Record<string, unknown>)
      : { items: data, nextCursor };
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/** A failed call the model can read and act on (MCP: tool errors are results with `isError`). */
export function errorResult(error: Failure, extra: Record<string, unknown> = {}): CallToolResult {
  const body = { error: { code: error.code, message: error.message, ...extra } };
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

/** The Connect Link of an `authorization_required` answer, when it carries one. */
export function connectLinkOf(error: Failure): { id: string; redirectUrl: string } | undefined {
  const link = error.details?.connectLink as { id?: unknown; redirectUrl?: unknown } | undefined;
  return typeof link?.id === 'string' && typeof link.redirectUrl === 'string'
    ? { id: link.id, redirectUrl: link.redirectUrl }
    : undefined;
}

const APPROVAL_CODES = new Set(['approval_pending', 'approval_denied', 'approval_expired', 'approval_used']);

/**
 * A call that waits for (or was refused by) a human approval. MCP clients cannot pass an approval
 * id, so the text tells the model what to do: give the user the link, then make the same call again
 * (Gatehouse finds the approved approval by the exact call). Undefined when `error` is no such answer.
 */
export function approvalResult(error: Failure, executionId: string): CallToolResult | undefined {
  const d = error.details ?? {};
  const approvalId = typeof d.approvalId === 'string' ? d.approvalId : undefined;
  if (error.code === 'approval_required' && approvalId && typeof d.approvalUrl === 'string') {
    const message =
      `This call needs the user's approval. Ask them to open ${d.approvalUrl} and approve it, ` +
      'then call this tool again with exactly the same arguments; it runs once.';
    return errorResult(
      { code: error.code, message },
      { executionId, approvalId, approvalUrl: d.approvalUrl, expiresAt: d.expiresAt },
    );
  }
  if (APPROVAL_CODES.has(error.code))
    return errorResult(error, { executionId, ...(approvalId ? { approvalId } : {}) });
  return undefined;
}
