import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, requestUrl, sendJson } from '../http/io.js';
import type { UserDirectory } from '../users.js';

/**
 * "Acme Payments": a Stripe-shaped API authenticated by a secret API key, for the API-key path of
 * Gatehouse. As at Stripe, the key is accepted as a bearer token or as the Basic username with an
 * empty password; a wrong key answers 401 with the key masked in the message. Each seeded user has
 * one test key, minted at start (`apiKeys`).
 */
export function createPaymentsApi(options: { basePath: string; users: UserDirectory }) {
  const apiKeys = new Map<string, string>();
  for (const u of options.users.users)
    apiKeys.set(`sk_test_${u.id}_${randomBytes(12).toString('hex')}`, u.id);
  const customers = new Map<
    string,
    Array<{ id: string; object: 'customer'; email: string; name: string | null }>
  >();
  let requests = 0;

  function userOf(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? '';
    let key: string | undefined;
    if (/^Bearer /i.test(header)) key = header.slice(7);
    else if (/^Basic /i.test(header))
      key = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
    return key === undefined ? undefined : apiKeys.get(key);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const url = requestUrl(req);
    const path = url.pathname.slice(options.basePath.length) || '/';
    const userId = userOf(req);
    if (!userId) {
      const shown = (req.headers.authorization ?? '').slice(-4);
      return sendJson(res, 401, {
        error: { type: 'invalid_request_error', message: `Invalid API Key provided: sk_****${shown}` },
      });
    }
    const mine = customers.get(userId) ?? [];
    customers.set(userId, mine);
    if (req.method === 'GET' && path === '/v1/balance')
      return sendJson(res, 200, {
        object: 'balance',
        available: [{ amount: 1200, currency: 'usd' }],
        livemode: false,
      });
    if (req.method === 'GET' && path === '/v1/account')
      return sendJson(res, 200, { id: `acct_${userId}`, object: 'account', email: `${userId}@acme.test` });
    if (req.method === 'GET' && path === '/v1/customers')
      return sendJson(res, 200, { object: 'list', data: mine, has_more: false });
    if (req.method === 'POST' && path === '/v1/customers') {
      let body: Record<string, unknown>;
      try {
        const text = await readBody(req);
        body = (req.headers['content-type'] ?? '').includes('json')
          ? (JSON.parse(text) as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(text));
      } catch (error) {
        const message = error instanceof BodyTooLarge ? error.message : 'the body must be JSON or a form';
        return sendJson(res, 400, { error: { type: 'invalid_request_error', message } });
      }
      if (typeof body.email !== 'string')
        return sendJson(res, 400, {
          error: { type: 'invalid_request_error', message: 'Missing required param: email.' },
        });
      const customer = {
        id: `cus_${randomBytes(7).toString('hex')}`,
        object: 'customer' as const,
        email: body.email,
        name: typeof body.name === 'string' ? body.name : null,
      };
      mine.push(customer);
      return sendJson(res, 200, customer);
    }
    sendJson(res, 404, {
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${url.pathname})`,
      },
    });
  }

  return {
    handle,
    /** user id → that user's secret key */
    apiKeys: () => Object.fromEntries([...apiKeys].map(([key, user]) => [user, key])),
    requests: () => requests,
  };
}
