import { AuthServer } from '../authserver/service.js';
import type { ToolCatalog } from '../catalog/tool-catalog.js';
import type { Config } from '../config/config.js';
import type { Outbound } from '../outbound/client.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import type { Logger } from '../telemetry/logger.js';
import type { Vault } from '../vault/vault.js';
import { type DelegationCheck, McpGate } from './gate.js';
import { ProtocolSessions } from './protocol-sessions.js';
import { McpServerProfiles } from './server-profiles.js';
import { McpUserSessions } from './user-sessions.js';

/** Everything behind `/mcp`, `/as` and `/v1/mcp`: server profiles, the authorization server, sessions. */
export interface McpServices {
  profiles: McpServerProfiles;
  authServer: AuthServer;
  userSessions: McpUserSessions;
  protocolSessions: ProtocolSessions;
  gate: McpGate;
}

export function createMcpServices(deps: {
  config: Config;
  db: Db;
  vault: Vault;
  outbound: Outbound;
  log: Logger;
  catalog: ToolCatalog;
  /** Other replicas' changes to profiles, token families and sessions (migration 0031). */
  governance?: GovernanceFeed;
  /** Verifies exchanged delegation tokens presented to an MCP server (delegation/). */
  delegation: DelegationCheck;
}): McpServices {
  const { config, db, vault, outbound, log, catalog, governance } = deps;
  const profiles = new McpServerProfiles(
    db,
    vault,
    { production: config.production, allowInternal: config.allowInternalProviders },
    catalog,
    config.governanceCacheMs,
    governance,
  );
  const authServer = new AuthServer({
    db,
    log,
    vault,
    outbound,
    profiles,
    publicUrl: config.publicUrl,
    production: config.production,
    allowInternal: config.allowInternalProviders,
    verifiedTokenCacheMs: config.governanceCacheMs,
    ...(governance ? { governance } : {}),
  });
  const userSessions = new McpUserSessions(db, catalog, config.governanceCacheMs, governance);
  return {
    profiles,
    authServer,
    userSessions,
    protocolSessions: new ProtocolSessions(db, config.governanceCacheMs, governance),
    gate: new McpGate(config.publicUrl, profiles, authServer, userSessions, deps.delegation),
  };
}
