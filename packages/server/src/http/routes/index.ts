import type { Runtime } from '../../runtime.js';
import type { AnyRoute } from '../route.js';
import { adminProjectRoutes } from './admin-projects.js';
import { apiKeyRoutes } from './api-keys.js';
import { healthRoutes } from './health.js';

/** Every HTTP route of the server, one module per resource. */
export const routes = (rt: Runtime): AnyRoute[] => [
  ...healthRoutes(rt),
  ...adminProjectRoutes(rt),
  ...apiKeyRoutes(rt),
];
