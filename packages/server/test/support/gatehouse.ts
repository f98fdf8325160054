import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { RuntimeOptions } from '../../src/runtime.js';
import type { RunningServer } from '../../src/server.js';
import { startServer } from '../../src/server.js';
import type { Db } from '../../src/store/db.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { generateMasterKey } from '../../src/vault/kms.js';

/** Captures every log line a server writes, so tests can search them (for secrets, for fields). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestGatehouse {
  server: RunningServer;
  url: string;
  config: Config;
  adminToken: string;
  logs: LogCapture;
  /** Creates a project through the admin API and returns its id and first API key. */
  createProject(name?: string): Promise<{ projectId: string; apiKey: string }>;
  /** fetch against the server with JSON handling; `key` becomes a Bearer token. */
  call(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Headers;
    body: unknown;
    text: string;
  }>;
  close(): Promise<void>;
}

/** A free loopback port, so GATEHOUSE_PUBLIC_URL (redirect URIs, links) names the real address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig({
    GATEHOUSE_PORT: '0',
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-test-')),
    GATEHOUSE_MASTER_KEY: generateMasterKey(),
    GATEHOUSE_ADMIN_TOKEN: `gth_admin_${'t'.repeat(40)}`,
    GATEHOUSE_LOG_LEVEL: 'info',
    // Tests run the sandbox provider: its toolkit (acme) is in their catalog (never in production).
    GATEHOUSE_SANDBOX_TOOLKITS: env.NODE_ENV === 'production' ? 'false' : 'true',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return loaded.config;
}

/** Starts a real Gatehouse on a random loopback port over the given (already open) database. */
export async function startTestGatehouse(
  db: Db,
  env: Record<string, string> = {},
  runtime: Omit<RuntimeOptions, 'db' | 'log'> = {},
): Promise<TestGatehouse> {
  const port = String(await freePort());
  const config = testConfig({
    GATEHOUSE_PORT: port,
    GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...env,
  });
  const logs = new LogCapture();
  const started = await startServer(config, {
    ...runtime,
    db,
    log: createLogger({ level: config.logLevel, destination: logs }),
    // Every answer in every test is checked against its route's declared response schema.
    checkResponses: true,
  });
  if (!started.ok) throw new Error(started.error);
  const server = started.server;
  const url = server.url;
  const call: TestGatehouse['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const adminToken = config.adminToken!;
  return {
    server,
    url,
    config,
    adminToken,
    logs,
    call,
    async createProject(name = 'test project') {
      const res = await call('POST', '/v1/admin/projects', { key: adminToken, body: { name } });
      if (res.status !== 201) throw new Error(`project creation failed: ${res.status} ${res.text}`);
      const body = res.body as { project: { id: string }; apiKey: { key: string } };
      return { projectId: body.project.id, apiKey: body.apiKey.key };
    },
    async close() {
      await server.close();
      // A mismatch already failed its request with a 500; this fails the file even if no test looked.
      const mismatches = server.app.responseMismatches;
      if (mismatches.length > 0)
        throw new Error(
          `responses that do not match their declared schemas:\n${mismatches
            .map((m) => `  ${m.route} ${m.status}: ${m.problem}`)
            .join('\n')}`,
        );
    },
  };
}
