/**
 * The floor any Node broker can reach on this machine: parse the JSON request, decrypt the stored
 * token (AES-256-GCM), forward the call with the same HTTP client (undici) and connection reuse,
 * answer JSON. No auth, database, policy or audit. Prints `REFERENCE <url>` when ready.
 * Env: UPSTREAM (the sandbox's tasks URL), TOKEN_KEY (hex), TOKEN_CT (iv.ct.tag, base64url).
 */
import { createDecipheriv } from 'node:crypto';
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const upstream = process.env.UPSTREAM!;
const key = Buffer.from(process.env.TOKEN_KEY!, 'hex');
const [iv, ct, tag] = process.env.TOKEN_CT!.split('.').map((p) => Buffer.from(p, 'base64url'));
const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });

function decryptToken(): string {
  const d = createDecipheriv('aes-256-gcm', key, iv!);
  d.setAuthTag(tag!);
  return Buffer.concat([d.update(ct!), d.final()]).toString('utf8');
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        arguments?: { limit?: number };
      };
      const url = `${upstream}?limit=${body.arguments?.limit ?? 5}`;
      const up = await request(url, {
        headers: { authorization: `Bearer ${decryptToken()}`, accept: 'application/json' },
        dispatcher: agent,
      });
      const data = await up.body.json();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ successful: up.statusCode < 400, data }));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err) }));
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`REFERENCE http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
