-- How an MCP server profile shows its tools: 'all' lists every tool of its toolkits; 'search' lists
-- only the meta-tools search_tools and execute_tool, so an agent can use hundreds of tools without
-- loading every schema into its context.
ALTER TABLE mcp_servers ADD COLUMN tool_mode text NOT NULL DEFAULT 'all' CHECK (tool_mode IN ('all', 'search'));
