import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, requestUrl } from '../http/io.js';
import type { SandboxStats } from '../stats.js';
import type { UserDirectory } from '../users.js';
import { authenticate, type BearerDependencies } from './bearer.js';
import { debugRoutes } from './debug-routes.js';
import { errorReply, sendReply } from './reply.js';
import type { Route, RouteContext } from './route.js';
import { taskRoutes } from './task-routes.js';
import { TaskStore } from './task-store.js';

export type { Task, TaskStatus, TaskVisibility } from './task-store.js';

export interface TasksApiOptions extends BearerDependencies {
  /** where the API is mounted, e.g. `/api` */
  basePath: string;
  users: UserDirectory;
  stats: SandboxStats;
}

/** The "Acme Tasks" REST API: JSON over HTTP, bearer tokens from the sandbox's authorization server. */
export function createTasksApi(options: TasksApiOptions) {
  const store = new TaskStore(options.users.users);
  const routes: Route[] = [...taskRoutes(store), ...debugRoutes()];

  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    options.stats.apiRequests++;
    const url = requestUrl(req);
    const path = url.pathname.slice(options.basePath.length) || '/';
    const method = req.method ?? 'GET';

    const matching = routes.filter((r) => r.pattern.test(path));
    const route = matching.find((r) => r.methods.includes(method));
    if (route === undefined) {
      if (matching.length === 0)
        return sendReply(res, errorReply(404, 'not_found', `no route ${url.pathname}`));
      const allow = matching.flatMap((r) => r.methods).join(', ');
      return sendReply(
        res,
        errorReply(405, 'method_not_allowed', `${method} is not allowed here`, { allow }),
      );
    }
    const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => safeDecode(p ?? ''));

    const ctx: RouteContext = {
      req,
      url,
      params,
      authenticate: (scope) => authenticate(req, scope, options),
      async readJson() {
        try {
          return { ok: true, value: JSON.parse(await readBody(req)) };
        } catch (error) {
          const description = error instanceof BodyTooLarge ? error.message : 'the body must be JSON';
          return { ok: false, reply: errorReply(400, 'invalid_request', description) };
        }
      },
    };
    sendReply(res, await route.run(ctx));
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
