import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ProjectCatalog } from '../catalog/tool-catalog.js';
import { errorResult, successResult } from './tool-results.js';

/** How a profile shows its tools: every tool, or the two meta-tools below (`search`). */
export type ToolMode = 'all' | 'search';
export const TOOL_MODES = ['all', 'search'] as const;

export const SEARCH_TOOLS = 'search_tools';
export const EXECUTE_TOOL = 'execute_tool';
const MAX_RESULTS = 20;

/**
 * The meta-tool pair: with hundreds of tools, listing every schema fills the model's context.
 * `search_tools` finds tools by intent (the catalog's BM25 search) and returns their schemas;
 * `execute_tool` runs one of them through the same execute pipeline as a direct call.
 */
export const META_TOOLS: Tool[] = [
  {
    name: SEARCH_TOOLS,
    title: 'Search tools',
    description:
      'Finds the tools that can do something, by intent ("open a ticket", "send an email to a customer"). ' +
      'Returns the best matches with their names, descriptions and input schemas. Then call execute_tool ' +
      'with one of the names and arguments that match its schema.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, maxLength: 200, description: 'What you want to do, in words' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_RESULTS, default: 5 },
      },
      required: ['query'],
      additionalProperties: false,
    },
    annotations: { title: 'Search tools', readOnlyHint: true, openWorldHint: false },
  },
  {
    name: EXECUTE_TOOL,
    title: 'Execute a tool',
    description:
      'Runs a tool found with search_tools: give its name and arguments matching its input schema. ' +
      'The answer is the tool’s own (data, an error, a link for the user to connect an account, or an approval link).',
    inputSchema: {
      type: 'object',
      properties: {
        tool: { type: 'string', minLength: 1, maxLength: 200, description: 'A tool name from search_tools' },
        arguments: { type: 'object', description: 'Arguments matching that tool’s input schema' },
      },
      required: ['tool'],
      additionalProperties: false,
    },
    annotations: { title: 'Execute a tool', openWorldHint: true },
  },
];

/** `search_tools`: ranked tools of the principal's toolkits, with what a model needs to call them. */
export function searchTools(
  catalog: ProjectCatalog,
  toolkits: string[],
  args: Record<string, unknown>,
): CallToolResult {
  const query = typeof args.query === 'string' ? args.query.trim() : '';
  const limit =
    typeof args.limit === 'number' ? Math.min(Math.max(1, Math.floor(args.limit)), MAX_RESULTS) : 5;
  if (query === '' || query.length > 200)
    return errorResult({ code: 'invalid_arguments', message: 'query must be 1 to 200 characters' });
  const tools = catalog.search(query, { toolkits, limit }).map((t) => ({
    name: t.tool.slug,
    title: t.tool.name,
    description: t.tool.description,
    risk: t.tool.risk,
    provider: t.toolkit.provider,
    inputSchema: t.tool.input,
  }));
  return successResult({ tools }, null);
}
