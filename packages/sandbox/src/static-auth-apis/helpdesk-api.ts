import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, requestUrl, sendJson } from '../http/io.js';
import type { UserDirectory } from '../users.js';

/**
 * "Acme Helpdesk": a ticketing API behind HTTP Basic (RFC 7617) with the seeded users' usernames and
 * passwords, for the basic-auth path of Gatehouse. A wrong password answers 401 with a
 * `WWW-Authenticate: Basic` challenge.
 */
export function createHelpdeskApi(options: { basePath: string; users: UserDirectory }) {
  const tickets: Array<{ id: string; subject: string; requester: string }> = [];

  function userOf(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? '';
    if (!/^Basic /i.test(header)) return undefined;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return options.users.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1))?.id;
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const path = url.pathname.slice(options.basePath.length) || '/';
    const userId = userOf(req);
    if (!userId)
      return sendJson(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Basic realm="helpdesk"' });
    if (req.method === 'GET' && path === '/api/me') return sendJson(res, 200, { id: userId, name: userId });
    if (req.method === 'GET' && path === '/api/tickets')
      return sendJson(res, 200, { tickets: tickets.filter((t) => t.requester === userId) });
    if (req.method === 'POST' && path === '/api/tickets') {
      let body: { subject?: unknown };
      try {
        body = JSON.parse(await readBody(req)) as { subject?: unknown };
      } catch (error) {
        return sendJson(res, 400, {
          error: error instanceof BodyTooLarge ? error.message : 'the body must be JSON',
        });
      }
      if (typeof body.subject !== 'string') return sendJson(res, 400, { error: 'subject is required' });
      const ticket = { id: `t_${randomBytes(5).toString('hex')}`, subject: body.subject, requester: userId };
      tickets.push(ticket);
      return sendJson(res, 201, ticket);
    }
    sendJson(res, 404, { error: `no route ${url.pathname}` });
  };
}
