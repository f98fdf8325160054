import type { IncomingMessage } from 'node:http';
import type { VerifiedAccessToken } from '../authorization-server/index.js';
import type { TasksScope } from '../scopes.js';
import type { SandboxUser, UserDirectory } from '../users.js';
import { type ApiReply, errorReply } from './reply.js';

/** The authenticated caller of a Tasks API request. */
export interface Caller {
  user: SandboxUser;
  /** the bearer token as presented (only the leaky debug endpoint hands it back) */
  token: string;
  scopes: ReadonlySet<string>;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; reply: ApiReply };

export interface BearerDependencies {
  audience: string;
  users: UserDirectory;
  verifyAccessToken(token: string): Promise<VerifiedAccessToken | undefined>;
}

/**
 * RFC 6750 bearer authentication against the authorization server's token store: the token must
 * exist, be unexpired and unrevoked, be issued for this API (RFC 8707 audience), and carry `scope`.
 */
export async function authenticate(
  req: IncomingMessage,
  required: TasksScope | null,
  deps: BearerDependencies,
): Promise<Authentication> {
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(req.headers.authorization ?? '');
  if (match?.[1] === undefined) {
    // RFC 6750 §3.1: no error code when the request carried no credentials at all.
    const reply = errorReply(401, 'invalid_request', 'a bearer access token is required', {
      'www-authenticate': 'Bearer realm="acme-tasks"',
    });
    return { ok: false, reply };
  }
  const token = match[1];
  const verified = await deps.verifyAccessToken(token);
  if (verified === undefined) return invalidToken('the access token is unknown, expired or revoked');
  if (verified.audience !== deps.audience) return invalidToken('the access token is for another resource');
  const user = deps.users.find(verified.accountId);
  if (user === undefined) return invalidToken('the access token belongs to an unknown user');

  if (required !== null && !verified.scopes.has(required)) {
    const reply = errorReply(403, 'insufficient_scope', `this request needs the ${required} scope`, {
      'www-authenticate': `Bearer error="insufficient_scope", scope="${required}"`,
    });
    return { ok: false, reply };
  }
  return { ok: true, caller: { user, token, scopes: verified.scopes } };
}

function invalidToken(description: string): Authentication {
  const reply = errorReply(401, 'invalid_token', description, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  });
  return { ok: false, reply };
}
