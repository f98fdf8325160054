/**
 * What an operator may do in the console. `viewer` reads everything; `operator` also acts on end
 * users' connections (revoke, force refresh), revokes a user's MCP consent grant and decides
 * approvals; `admin` also changes governance and project set-up (policies, API keys, operators,
 * auth configs, deleting an MCP client). Every mutating console route names the role it needs and the check happens on the
 * server, before the handler runs (http/routes/console/guard.ts).
 */
export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

const RANK: Record<OperatorRole, number> = { viewer: 0, operator: 1, admin: 2 };

export const roleAllows = (role: OperatorRole, needed: OperatorRole): boolean => RANK[role] >= RANK[needed];

export const isOperatorRole = (value: unknown): value is OperatorRole =>
  typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);

/** The lower of two roles: a session never acts above the credential it was opened with. */
export const capRole = (wanted: OperatorRole, ceiling: OperatorRole): OperatorRole =>
  RANK[wanted] <= RANK[ceiling] ? wanted : ceiling;
