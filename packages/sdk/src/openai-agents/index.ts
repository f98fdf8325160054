import { type FunctionTool, tool } from '@openai/agents';
import {
  type AgentTool,
  type GatehouseToolsOptions,
  gatehouseAgentTools,
  resultText,
} from '../agent-tools/index.js';
import type { Gatehouse } from '../index.js';

export {
  type GatehouseToolResult,
  type GatehouseToolsOptions,
  modelToolNames,
} from '../agent-tools/index.js';

/**
 * Gatehouse tools as OpenAI Agents SDK function tools (`@openai/agents`) for one user:
 * `new Agent({ name, instructions, tools })`.
 *
 * Each tool answers a JSON string: `{"data": …}` on success; when the user must connect or approve,
 * `{"authorizationRequired": true, "message", "connectUrl", …}` or `{"approvalRequired": true,
 * "message", "approvalUrl", "approvalId", …}`, a message the model can relay with the link in it;
 * `{"error": {"code", "message"}}` for failures the model can act on. Never a token. The schemas are
 * Gatehouse's JSON Schemas as they are (`strict: false`: they may have optional properties).
 */
export async function createGatehouseTools(
  gatehouse: Gatehouse,
  options: GatehouseToolsOptions,
): Promise<GatehouseAgentsTool[]> {
  return (await gatehouseAgentTools(gatehouse, options)).map(agentsTool);
}

// The SDK's type for a JSON Schema object (not exported by name).
type JsonParameters = Extract<
  Parameters<typeof tool>[0]['parameters'],
  { type: 'object'; additionalProperties: true }
>;

export type GatehouseAgentsTool = FunctionTool<unknown, JsonParameters, unknown>;

const agentsTool = (t: AgentTool): GatehouseAgentsTool =>
  tool({
    name: t.name,
    description: t.description,
    parameters: t.inputSchema as JsonParameters,
    strict: false,
    execute: async (input, _context, details) =>
      resultText(await t.run(input as Record<string, unknown>, { signal: details?.signal })),
    // Failures of the deployment itself reach the model as text, never a stack or a key.
    errorFunction: (_context, error) =>
      JSON.stringify({ error: { code: 'tool_failed', message: (error as Error).message ?? String(error) } }),
  });
