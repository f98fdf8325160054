import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Slack Web API: every answer is HTTP 200 with Slack's `{ok, ...}` body. A request without
 * `Bearer <token>` gets `{ok: false, error: "invalid_auth"}`; `answer` gives each method's body (the
 * path below `/api/`, e.g. `auth.test`), undefined for `{ok: false, error: "unknown_method"}`.
 */
export async function startLoopbackSlack(
  token: string,
  answer: (method: string, query: URLSearchParams) => unknown,
): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://slack.local');
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send({ ok: false, error: 'invalid_auth' });
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : '';
    send(answer(method, url.searchParams) ?? { ok: false, error: 'unknown_method' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

/** Slack's shipped api block (errorBody, credentialErrors) on a loopback host, behind a static user token. */
export function slackLocalProvider(baseUrl: string) {
  const shipped = JSON.parse(
    readFileSync(new URL('../../../catalog/providers/slack.json', import.meta.url), 'utf8'),
  ) as { api: Record<string, unknown> };
  return {
    id: 'slack-local',
    displayName: 'Slack (local)',
    authType: 'bearer',
    api: { ...shipped.api, baseUrl: `${baseUrl}/api`, internal: true },
  };
}
