import type { Runtime } from '../../runtime.js';
import type { AnyRoute } from '../route.js';
import { accountRefreshRoutes } from './account-refresh.js';
import { adminProjectRoutes } from './admin-projects.js';
import { agentRoutes } from './agents.js';
import { apiKeyRoutes } from './api-keys.js';
import { approvalPageRoutes } from './approval-pages.js';
import { approvalRoutes } from './approvals.js';
import { auditRoutes } from './audit.js';
import { authConfigRoutes } from './auth-configs.js';
import { authServerLoginRoutes } from './authserver-login.js';
import { authServerOAuthRoutes } from './authserver-oauth.js';
import { connectLinkRoutes } from './connect-links.js';
import { connectPageRoutes } from './connect-pages.js';
import { connectSettingsRoutes } from './connect-settings.js';
import { connectedAccountRoutes } from './connected-accounts.js';
import { consoleRoutes } from './console/index.js';
import { delegationRoutes } from './delegation.js';
import { delegationTokenRoutes } from './delegation-token.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { limitRoutes } from './limits.js';
import { mcpEndpointRoutes } from './mcp-endpoint.js';
import { mcpMetadataRoutes } from './mcp-metadata.js';
import { mcpGrantRoutes, mcpServerRoutes } from './mcp-servers.js';
import { mcpSessionRoutes } from './mcp-sessions.js';
import { policyRoutes } from './policies.js';
import { providerRoutes } from './providers.js';
import { proxyRoutes } from './proxy.js';
import { selfServicePageRoutes, selfServiceRoutes } from './self-service.js';
import { toolkitRoutes } from './toolkits.js';
import { toolRoutes } from './tools.js';
import { webhookRoutes } from './webhooks.js';

/** Browser-facing pages (they need cookies); registered in their own plugin context. */
export const hostedPageRoutes = (rt: Runtime): AnyRoute[] => [
  ...connectPageRoutes(rt),
  ...approvalPageRoutes(rt),
  ...authServerOAuthRoutes(rt),
  ...authServerLoginRoutes(rt),
  ...delegationTokenRoutes(rt),
  ...consoleRoutes(rt),
  ...selfServicePageRoutes(rt),
];

/** Every API route of the server, one module per resource. */
export const routes = (rt: Runtime): AnyRoute[] => [
  ...healthRoutes(rt),
  ...adminProjectRoutes(rt),
  ...apiKeyRoutes(rt),
  ...agentRoutes(rt),
  ...delegationRoutes(rt),
  ...providerRoutes(rt),
  ...authConfigRoutes(rt),
  ...connectLinkRoutes(rt),
  ...connectSettingsRoutes(rt),
  ...connectedAccountRoutes(rt),
  ...toolkitRoutes(rt),
  ...toolRoutes(rt),
  ...proxyRoutes(rt),
  ...auditRoutes(rt),
  ...policyRoutes(rt),
  ...approvalRoutes(rt),
  ...limitRoutes(rt),
  ...accountRefreshRoutes(rt),
  ...webhookRoutes(rt),
  ...eventRoutes(rt),
  ...mcpServerRoutes(rt),
  ...mcpGrantRoutes(rt),
  ...mcpSessionRoutes(rt),
  ...mcpMetadataRoutes(rt),
  ...mcpEndpointRoutes(rt),
  ...selfServiceRoutes(rt),
];
