/**
 * A project's delegation URLs. The issuer names the project, so a token says which project's keys
 * verify it; the token endpoint is also the audience of agents' JWT assertions (RFC 7523 §3).
 */
export interface DelegationUrls {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** The audience of tokens for the REST API (execute, proxy); MCP servers are audiences of their own. */
  apiAudience: string;
}

const PROJECT_ID = /^prj_[0-9a-z]{26}$/;

export function delegationUrls(publicUrl: string, projectId: string): DelegationUrls {
  const issuer = `${publicUrl}/v1/projects/${projectId}`;
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks.json`,
    apiAudience: `${publicUrl}/v1`,
  };
}

/** The project an issuer names, if it is one of this instance's delegation issuers. */
export function projectOfIssuer(publicUrl: string, issuer: unknown): string | undefined {
  if (typeof issuer !== 'string') return undefined;
  const prefix = `${publicUrl}/v1/projects/`;
  if (!issuer.startsWith(prefix)) return undefined;
  const id = issuer.slice(prefix.length);
  return PROJECT_ID.test(id) ? id : undefined;
}

export const isProjectId = (value: string): boolean => PROJECT_ID.test(value);
