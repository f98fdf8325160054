import { type ServerResponse, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson } from '../http/io.js';
import type { Fault } from './registry.js';

/** `answered`: the fault produced the response (or none, ever); `continue`: serve the request normally. */
export type FaultOutcome = 'answered' | 'continue';

/**
 * Applies one fault to a request. `closing` aborts when the sandbox shuts down, so hung and delayed
 * requests never keep `close()` waiting.
 */
export async function applyFault(
  fault: Fault,
  res: ServerResponse,
  closing: AbortSignal,
): Promise<FaultOutcome> {
  const { spec } = fault;
  const faultHeader = { 'x-sandbox-fault': fault.id };

  switch (spec.kind) {
    case 'status': {
      const status = spec.status ?? 500;
      const headers: Record<string, string> = { ...faultHeader };
      if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
      if (typeof spec.body === 'string') {
        res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        res.end(spec.body);
      } else {
        sendJson(res, status, spec.body ?? defaultBody(status), headers);
      }
      return 'answered';
    }
    case 'latency':
      if (spec.phase === 'response') {
        holdResponse(res, spec.latencyMs ?? 0, closing);
        res.setHeader('x-sandbox-fault', fault.id);
        return 'continue';
      }
      try {
        await sleep(spec.latencyMs ?? 0, undefined, { signal: closing });
      } catch {
        return 'answered';
      }
      res.setHeader('x-sandbox-fault', fault.id);
      return 'continue';
    case 'timeout':
      await new Promise<void>((resolve) => {
        const done = () => {
          closing.removeEventListener('abort', done);
          res.off('close', done);
          resolve();
        };
        res.once('close', done);
        closing.addEventListener('abort', done, { once: true });
      });
      return 'answered';
  }
}

function defaultBody(status: number) {
  const reason = STATUS_CODES[status] ?? 'Sandbox Fault';
  return {
    error: reason.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
    error_description: `${status} ${reason} (injected by a sandbox fault)`,
  };
}

/** Serves normally but delays the end of the response (headers and body are sent together at `end`). */
function holdResponse(res: ServerResponse, ms: number, closing: AbortSignal): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const release = () => {
      clearTimeout(timer);
      closing.removeEventListener('abort', release);
      end(...args);
    };
    const timer = setTimeout(release, ms);
    closing.addEventListener('abort', release, { once: true });
    return res;
  }) as ServerResponse['end'];
}
