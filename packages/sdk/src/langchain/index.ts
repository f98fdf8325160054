import { DynamicStructuredTool } from '@langchain/core/tools';
import type { JSONSchema } from '@langchain/core/utils/json_schema';
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
 * Gatehouse tools as LangChain.js tools (`@langchain/core`) for one user: bind them to a chat model
 * (`model.bindTools(tools)`), or give them to a LangGraph.js agent (`createReactAgent({ llm, tools })`
 * or a `ToolNode`).
 *
 * Each tool answers a JSON string: `{"data": …}` on success; when the user must connect or approve,
 * `{"authorizationRequired": true, "message", "connectUrl", …}` or `{"approvalRequired": true,
 * "message", "approvalUrl", "approvalId", …}`, a message the model can relay with the link in it;
 * `{"error": {"code", "message"}}` for failures the model can act on. Never a token. Failures of the
 * deployment itself (a revoked API key, Gatehouse down) are thrown: LangGraph's ToolNode turns them
 * into error tool messages.
 */
export async function createGatehouseTools(
  gatehouse: Gatehouse,
  options: GatehouseToolsOptions,
): Promise<DynamicStructuredTool[]> {
  return (await gatehouseAgentTools(gatehouse, options)).map(langchainTool);
}

const langchainTool = (t: AgentTool): DynamicStructuredTool =>
  new DynamicStructuredTool({
    name: t.name,
    description: t.description,
    schema: t.inputSchema as JSONSchema,
    func: async (input: Record<string, unknown>, _run, config) =>
      resultText(await t.run(input, { signal: config?.signal })),
  });
