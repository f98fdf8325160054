import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault } from '../faults/apply.js';
import type { FaultRegistry } from '../faults/registry.js';
import type { SandboxStats } from '../stats.js';
import { requestUrl, sendError, sendJson } from './io.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface DispatchDependencies {
  /** `{mountPath}/*` → handler, e.g. `/oauth`, `/api`; first match wins */
  areas: ReadonlyArray<readonly [mountPath: string, handler: Handler]>;
  /** `/control/*`, never faulted */
  control: Handler;
  /** what `GET /` answers: a short index for humans */
  index: unknown;
  faults: FaultRegistry;
  stats: SandboxStats;
  /** aborted when the sandbox closes */
  closing: AbortSignal;
}

/** The one request listener: control area first, then faults, then the faulted areas. */
export function dispatcher(deps: DispatchDependencies) {
  return async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = requestUrl(req).pathname;
      if (isUnder(path, '/control')) return await deps.control(req, res);

      const fault = deps.faults.take(req.method ?? 'GET', path);
      if (fault !== undefined) {
        deps.stats.faultsApplied++;
        if ((await applyFault(fault, res, deps.closing)) === 'answered') return;
      }

      const area = deps.areas.find(([mountPath]) => isUnder(path, mountPath));
      if (area !== undefined) return await area[1](req, res);
      if (path === '/' && req.method === 'GET') return sendJson(res, 200, deps.index);
      sendError(res, 404, 'not_found', `nothing at ${path}`);
    } catch (error) {
      console.error('sandbox request failed', error);
      if (!res.headersSent) sendError(res, 500, 'server_error', 'the sandbox failed to handle the request');
      else res.destroy();
    }
  };
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}
