import type { Runtime } from '../../../runtime.js';
import type { AnyRoute } from '../../route.js';
import { consoleApprovalRoutes } from './approvals.js';
import { consoleAuditRoutes } from './audit.js';
import { consoleAuthConfigRoutes } from './auth-configs.js';
import { consoleKeyRoutes } from './keys.js';
import { consoleMcpRoutes } from './mcp.js';
import { consoleOperatorRoutes } from './operators.js';
import { consolePolicyRoutes } from './policies.js';
import { consolePolicyTestRoutes } from './policy-test.js';
import { consoleProjectRoutes } from './projects.js';
import { consoleSignInRoutes } from './sign-in.js';
import { consoleSsoRoutes } from './sso.js';
import { consoleToolRoutes } from './tools.js';
import { consoleUsageRoutes } from './usage.js';
import { consoleUserRoutes } from './users.js';
import { consoleWebhookRoutes } from './webhooks.js';

/**
 * The operator console (`/console`): server-rendered pages, session sign-in, roles checked per action.
 * Browser pages behind a console session, not an API: left out of the API reference and the SDK.
 */
export const consoleRoutes = (rt: Runtime): AnyRoute[] =>
  [
    ...consoleSignInRoutes(rt),
    ...consoleSsoRoutes(rt),
    ...consoleOperatorRoutes(rt),
    ...consoleUserRoutes(rt),
    ...consoleApprovalRoutes(rt),
    ...consolePolicyRoutes(rt),
    ...consolePolicyTestRoutes(rt),
    ...consoleAuditRoutes(rt),
    ...consoleUsageRoutes(rt),
    ...consoleToolRoutes(rt),
    ...consoleProjectRoutes(rt),
    ...consoleKeyRoutes(rt),
    ...consoleWebhookRoutes(rt),
    ...consoleAuthConfigRoutes(rt),
    ...consoleMcpRoutes(rt),
  ].map((r) => ({ ...r, reference: false as const }));
