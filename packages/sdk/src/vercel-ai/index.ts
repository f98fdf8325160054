import { jsonSchema, type Tool, tool } from 'ai';
import {
  type AgentTool,
  type GatehouseToolResult,
  type GatehouseToolsOptions,
  gatehouseAgentTools,
} from '../agent-tools/index.js';
import type { Gatehouse } from '../index.js';

export {
  type GatehouseToolResult,
  type GatehouseToolsOptions,
  MAX_TOOL_NAME_LENGTH,
  modelToolNames,
  type ToolNames,
} from '../agent-tools/index.js';

export type GatehouseAiTool = Tool<Record<string, unknown>, GatehouseToolResult>;

/**
 * Gatehouse tools as Vercel AI SDK tools for one user, keyed by model-safe names
 * (`acme.tasks.create` → `acme_tasks_create`, see `modelToolNames`).
 *
 * Each tool's `execute` runs the tool through Gatehouse as `userId` and returns plain JSON:
 * `{ data }` on success, `{ authorizationRequired: true, message, connectUrl, ... }` when the user
 * must connect or grant scopes, `{ approvalRequired: true, message, approvalUrl, approvalId, ... }`
 * when a policy asks the user to approve the call, `{ error: { code, message } }` when the call
 * failed. Tokens never reach this process, so they cannot reach the model.
 *
 * Approvals: relay `approvalUrl` to the user (or approve from your own UI with `approvalId`, after
 * `gatehouse.approvals.waitForDecision`); once approved, the model makes the same call again with the
 * same arguments and it runs, once (the adapter asks Gatehouse to use the approved approval of this
 * exact call). Before the decision, the repeat answers `approval_pending`.
 *
 * Retries: each call carries its own idempotency key, so a transient failure between this process
 * and Gatehouse is retried (see `ClientOptions.retry`) without the tool running twice.
 */
export async function createGatehouseTools(
  gatehouse: Gatehouse,
  options: GatehouseToolsOptions,
): Promise<Record<string, GatehouseAiTool>> {
  const out: Record<string, GatehouseAiTool> = {};
  for (const t of await gatehouseAgentTools(gatehouse, options)) out[t.name] = aiTool(t);
  return out;
}

const aiTool = (t: AgentTool): GatehouseAiTool =>
  tool({
    description: t.description,
    inputSchema: jsonSchema<Record<string, unknown>>(t.inputSchema),
    execute: (input, { abortSignal }) => t.run(input, { signal: abortSignal }),
  });
