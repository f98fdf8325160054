import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export interface FaultMatch {
  /** HTTP method, case-insensitive; any method when absent */
  method?: string | undefined;
  /** matches request paths starting with this (e.g. `/oauth/token`, `/api/tasks`); any path when absent */
  pathPrefix?: string | undefined;
}

/** A fault to inject into requests outside `/control`. */
export interface FaultSpec {
  match?: FaultMatch | undefined;
  /** `status`: answer `status` instead of the real handler; `latency`: delay, then serve normally;
   *  `timeout`: never answer (the socket stays open until the client gives up or the sandbox closes) */
  kind: 'status' | 'latency' | 'timeout';
  status?: number | undefined;
  /** with `status`: sent as `Retry-After` */
  retryAfterSeconds?: number | undefined;
  /** with `latency` */
  latencyMs?: number | undefined;
  /** with `latency`: `request` (default) delays before serving; `response` serves at once (the provider
   *  acts: a refresh token rotates) and holds the answer back, the window in which a client may crash */
  phase?: 'request' | 'response' | undefined;
  /** with `status`: the response body (a string is sent as text/plain, anything else as JSON) */
  body?: unknown;
  /** how many matching requests it applies to; default 1, 0 = until cleared */
  times?: number | undefined;
}

export interface Fault {
  readonly id: string;
  readonly spec: FaultSpec;
  /** requests it was applied to so far */
  readonly applied: number;
  /** how many more requests it applies to; null = until cleared */
  readonly remaining: number | null;
}

const matchSchema = z.strictObject({
  method: z.string().min(1).optional(),
  pathPrefix: z.string().startsWith('/').optional(),
});
const common = { match: matchSchema.optional(), times: z.int().min(0).optional() };

export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: z.int().min(200).max(599),
    retryAfterSeconds: z.int().min(0).optional(),
    body: z.unknown().optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('latency'),
    latencyMs: z.int().min(0).max(600_000),
    phase: z.enum(['request', 'response']).optional(),
    ...common,
  }),
  z.strictObject({ kind: z.literal('timeout'), ...common }),
]);

export class InvalidFaultSpec extends Error {
  override readonly name = 'InvalidFaultSpec';
}

interface Entry {
  id: string;
  spec: FaultSpec;
  applied: number;
  remaining: number | null;
}

/** The active faults, checked in creation order; the first match with uses left applies. */
export class FaultRegistry {
  #entries: Entry[] = [];

  /** @throws InvalidFaultSpec when the spec does not validate */
  add(input: unknown): Fault {
    const parsed = faultSpecSchema.safeParse(input);
    if (!parsed.success) throw new InvalidFaultSpec(z.prettifyError(parsed.error));
    const times = parsed.data.times ?? 1;
    const entry: Entry = {
      id: `fault_${randomBytes(6).toString('hex')}`,
      spec: parsed.data,
      applied: 0,
      remaining: times === 0 ? null : times,
    };
    this.#entries.push(entry);
    return snapshot(entry);
  }

  remove(id: string): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => e.id !== id);
    return this.#entries.length !== before;
  }

  clear(): void {
    this.#entries = [];
  }

  list(): Fault[] {
    return this.#entries.map(snapshot);
  }

  /** Finds the fault for a request and uses it up once; `undefined` when none applies. */
  take(method: string, path: string): Fault | undefined {
    const entry = this.#entries.find((e) => matches(e.spec.match, method, path));
    if (entry === undefined) return undefined;
    entry.applied++;
    if (entry.remaining !== null && --entry.remaining === 0) this.remove(entry.id);
    return snapshot(entry);
  }
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (match?.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match?.pathPrefix !== undefined && !path.startsWith(match.pathPrefix)) return false;
  return true;
}

function snapshot(entry: Entry): Fault {
  return { id: entry.id, spec: entry.spec, applied: entry.applied, remaining: entry.remaining };
}
