import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MintedGrant, MintGrantInput } from '../authorization-server/mint.js';
import { readBody, requestUrl, sendEmpty, sendError, sendJson } from '../http/io.js';
import type { IssuedTokenValues, SandboxStats } from '../stats.js';
import { type FaultRegistry, InvalidFaultSpec } from './registry.js';

export interface ControlDependencies {
  faults: FaultRegistry;
  /** `undefined` when the user does not exist */
  revokeUser(userId: string): number | undefined;
  mintGrant(input: MintGrantInput): Promise<MintedGrant>;
  stats(): SandboxStats;
  issuedTokens(): IssuedTokenValues;
}

/**
 * `/control/*`: fault knobs and test hooks, JSON in and out. Never faulted itself.
 *   POST   /control/faults                  add a fault → 201 Fault (with its id)
 *   GET    /control/faults                  { faults: Fault[] }
 *   DELETE /control/faults                  clear all → 204
 *   DELETE /control/faults/:id              remove one → 204
 *   POST   /control/users/:userId/revoke    { revokedGrants }
 *   POST   /control/grants                  { clientId, userId, scopes? } → 201 MintedGrant (test hook)
 *   GET    /control/stats                   SandboxStats
 *   GET    /control/issued-tokens           { accessTokens, refreshTokens }
 */
export function controlRoutes(deps: ControlDependencies) {
  return async function handleControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestUrl(req).pathname;
    const method = req.method ?? 'GET';
    const route = `${method} ${path}`;

    if (route === 'POST /control/faults') {
      let input: unknown;
      try {
        input = JSON.parse(await readBody(req));
      } catch {
        return sendError(res, 400, 'invalid_request', 'the body must be JSON');
      }
      try {
        return sendJson(res, 201, deps.faults.add(input));
      } catch (error) {
        if (!(error instanceof InvalidFaultSpec)) throw error;
        return sendError(res, 400, 'invalid_request', error.message);
      }
    }
    if (route === 'GET /control/faults') return sendJson(res, 200, { faults: deps.faults.list() });
    if (route === 'DELETE /control/faults') {
      deps.faults.clear();
      return sendEmpty(res, 204);
    }
    const faultId = /^DELETE \/control\/faults\/([\w-]+)$/.exec(route)?.[1];
    if (faultId !== undefined) {
      return deps.faults.remove(faultId)
        ? sendEmpty(res, 204)
        : sendError(res, 404, 'not_found', 'no such fault');
    }
    const userId = /^POST \/control\/users\/([\w.-]+)\/revoke$/.exec(route)?.[1];
    if (userId !== undefined) {
      const revokedGrants = deps.revokeUser(userId);
      if (revokedGrants === undefined) return sendError(res, 404, 'not_found', `no user ${userId}`);
      return sendJson(res, 200, { revokedGrants });
    }
    if (route === 'POST /control/grants') {
      let input: Partial<MintGrantInput>;
      try {
        input = JSON.parse(await readBody(req)) as Partial<MintGrantInput>;
      } catch {
        return sendError(res, 400, 'invalid_request', 'the body must be JSON');
      }
      if (typeof input.clientId !== 'string' || typeof input.userId !== 'string')
        return sendError(res, 400, 'invalid_request', 'clientId and userId are required');
      const scopes = Array.isArray(input.scopes) ? input.scopes.map(String) : undefined;
      try {
        const minted = await deps.mintGrant({
          clientId: input.clientId,
          userId: input.userId,
          ...(scopes ? { scopes } : {}),
        });
        return sendJson(res, 201, minted);
      } catch (error) {
        return sendError(res, 400, 'invalid_request', (error as Error).message);
      }
    }
    if (route === 'GET /control/stats') return sendJson(res, 200, deps.stats());
    if (route === 'GET /control/issued-tokens') return sendJson(res, 200, deps.issuedTokens());
    sendError(res, 404, 'not_found', `no control endpoint ${route}`);
  };
}
