import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of a real Gatehouse that answers the first `failures` requests (of
 * `method`, when given) itself with 503 `not_ready` and `Retry-After: retryAfter` — a replica
 * restarting behind a load balancer — and forwards everything else. `seen` lists every request.
 */
export async function flakyFront(
  targetUrl: string,
  options: { failures: number; retryAfter?: string; method?: string },
) {
  const seen: string[] = [];
  let failed = 0;
  const target = new URL(targetUrl);
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (failed < options.failures && (options.method === undefined || req.method === options.method)) {
      failed++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': options.retryAfter ?? '0' });
      return res.end(JSON.stringify({ error: { code: 'not_ready', message: 'starting' } }));
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}
