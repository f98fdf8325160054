-- Approvals asked for over a signed-in MCP session are decided only in a browser signed in there as
-- the approval's user: the login realm (an MCP server profile id) is kept on the row.
ALTER TABLE approvals ADD COLUMN required_login text;
