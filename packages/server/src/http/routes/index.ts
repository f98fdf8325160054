import type { Runtime } from '../../runtime.js';
import type { AnyRoute } from '../route.js';
import { adminProjectRoutes } from './admin-projects.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { authConfigRoutes } from './auth-configs.js';
import { authServerLoginRoutes } from './authserver-login.js';
import { authServerOAuthRoutes } from './authserver-oauth.js';
import { connectLinkRoutes } from './connect-links.js';
import { connectPageRoutes } from './connect-pages.js';
import { connectedAccountRoutes } from './connected-accounts.js';
import { healthRoutes } from './health.js';
import { mcpEndpointRoutes } from './mcp-endpoint.js';
import { mcpMetadataRoutes } from './mcp-metadata.js';
import { mcpServerRoutes } from './mcp-servers.js';
import { mcpSessionRoutes } from './mcp-sessions.js';
import { providerRoutes } from './providers.js';
import { proxyRoutes } from './proxy.js';
import { toolRoutes } from './tools.js';

/** Every HTTP route of the server, one module per resource. */
export const routes = (rt: Runtime): AnyRoute[] => [
  ...healthRoutes(rt),
  ...adminProjectRoutes(rt),
  ...apiKeyRoutes(rt),
  ...providerRoutes(rt),
  ...authConfigRoutes(rt),
  ...connectLinkRoutes(rt),
  ...connectedAccountRoutes(rt),
  ...connectPageRoutes(rt),
  ...toolRoutes(rt),
  ...proxyRoutes(rt),
  ...auditRoutes(rt),
  ...mcpServerRoutes(rt),
  ...mcpSessionRoutes(rt),
  ...mcpMetadataRoutes(rt),
  ...authServerOAuthRoutes(rt),
  ...authServerLoginRoutes(rt),
  ...mcpEndpointRoutes(rt),
];
