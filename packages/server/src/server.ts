import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { type AppOptions, buildApp } from './http/app.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { startTracing, type Tracing } from './telemetry/tracing.js';

export interface RunningServer {
  app: FastifyInstance;
  runtime: Runtime;
  /** Exports buffered spans now (tests, shutdown); a no-op when tracing is off. */
  tracing: Tracing;
  /** The address actually bound (port 0 resolves to a real port). */
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  options: RuntimeOptions & AppOptions = {},
): Promise<{ ok: true; server: RunningServer } | { ok: false; error: string }> {
  const { checkResponses, ...runtimeOptions } = options;
  const created = await createRuntime(config, runtimeOptions);
  if (!created.ok) return created;
  const tracing = await startTracing(config.tracing);
  const runtime = created.runtime;
  const app = await buildApp(runtime, [], checkResponses === undefined ? {} : { checkResponses });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    await runtime.close();
    await tracing.shutdown();
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      error:
        code === 'EADDRINUSE'
          ? `port ${config.port} on ${config.host} is already in use (set GATEHOUSE_PORT)`
          : `cannot listen: ${(err as Error).message}`,
    };
  }
  runtime.workers.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closed = false;
  return {
    ok: true,
    server: {
      app,
      runtime,
      tracing,
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        await runtime.close();
        await tracing.shutdown();
      },
    },
  };
}
