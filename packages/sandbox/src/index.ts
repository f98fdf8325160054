export type {
  MintedGrant,
  MintGrantInput,
  SandboxClient,
  SandboxQuirks,
  VerifiedAccessToken,
} from './authorization-server/index.js';
export type { Fault, FaultMatch, FaultSpec } from './faults/registry.js';
export { InvalidFaultSpec } from './faults/registry.js';
export type { Sandbox, SandboxFaults, SandboxOptions } from './sandbox.js';
export { startSandbox } from './sandbox.js';
export { ALL_SCOPES, OIDC_SCOPES, TASKS_SCOPES, type TasksScope } from './scopes.js';
export type { IssuedTokenValues, SandboxStats } from './stats.js';
export type { Task, TaskStatus, TaskVisibility } from './tasks-api/index.js';
export { type CompleteAuthorizationOptions, CookieJar, completeAuthorization } from './testing.js';
export { type SandboxUser, seededUsers } from './users.js';
