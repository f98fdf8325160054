-- Finding an approval by the exact call it approves (an MCP client repeats the call without the id).
CREATE INDEX approvals_by_request ON approvals (project_id, user_id, request_hash);
