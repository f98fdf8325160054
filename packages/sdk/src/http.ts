import { errorFor, type GatehouseApiError } from './errors.js';
import { isRetryable, parseRetryAfter, type RetryOptions, retryDelay, sleep } from './retry.js';

export interface ClientOptions {
  /** Default: `GATEHOUSE_URL`, else `http://127.0.0.1:4100`. */
  baseUrl?: string;
  /** A project key (`gth_sk_…`) or an agent key (`gth_ak_…`). Default: `GATEHOUSE_API_KEY`. */
  apiKey?: string;
  /**
   * Sent as `Gatehouse-Agent-Id`. With an agent key (`gth_ak_…`) it is unnecessary: the key names the
   * agent, and another id is refused (403). A plain runtime key cannot name an agent (403); an admin
   * key may, as an assertion (back-office tools, tests).
   */
  agentId?: string;
  fetch?: typeof fetch;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  /**
   * Retries of idempotent calls only: GETs, and `tools.execute` / `proxy` with an `idempotencyKey`
   * (the server replays the first outcome instead of acting twice). Others are never repeated.
   */
  retry?: RetryOptions;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Cancels the request (for example the AI SDK's abort signal); the timeout still applies. */
  signal?: AbortSignal | undefined;
  /** Safe to repeat: set for POSTs with an idempotency key; GET is always idempotent. */
  idempotent?: boolean;
}

const DEFAULT_URL = 'http://127.0.0.1:4100';

/** Environment variables where there are any (Node, Deno, Bun; a bundler may inline them). */
function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The transport: JSON in and out, typed errors with the server's code, retries where safe. */
export class HttpClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly doFetch: typeof fetch;
  private readonly retry: Required<Omit<RetryOptions, 'onRetry'>> & {
    onRetry: RetryOptions['onRetry'] | undefined;
  };

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = (options.baseUrl ?? env('GATEHOUSE_URL') ?? DEFAULT_URL).replace(/\/+$/, '');
    const apiKey = options.apiKey ?? env('GATEHOUSE_API_KEY');
    if (!apiKey) throw new Error('Gatehouse: pass apiKey, or set GATEHOUSE_API_KEY');
    this.apiKey = apiKey;
    this.doFetch = options.fetch ?? ((...args) => fetch(...args));
    this.retry = {
      maxRetries: options.retry?.maxRetries ?? 2,
      baseDelayMs: options.retry?.baseDelayMs ?? 300,
      maxDelayMs: options.retry?.maxDelayMs ?? 10_000,
      onRetry: options.retry?.onRetry,
    };
  }

  /** The options this client was built with, resolved (for `withAgent`). */
  get resolved(): ClientOptions {
    return { ...this.options, baseUrl: this.baseUrl, apiKey: this.apiKey };
  }

  async request<T>(method: string, path: string, init: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, init, 'application/json');
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw this.error(
        res.status,
        'invalid_response',
        `Gatehouse answered ${res.status} with a non-JSON body`,
      );
    }
  }

  /** A text answer (a Cedar schema, a CSV export). */
  async text(method: string, path: string, init: RequestOptions = {}): Promise<string> {
    return (await this.send(method, path, init, 'text/plain, text/csv, */*')).text();
  }

  /** The lines of a streamed answer (NDJSON), read as they arrive. */
  async *lines(path: string, init: RequestOptions = {}): AsyncGenerator<string> {
    const res = await this.send('GET', path, init, 'application/x-ndjson');
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim()) yield line;
        nl = buffered.indexOf('\n');
      }
    }
    buffered += decoder.decode();
    if (buffered.trim()) yield buffered;
  }

  /** One call, repeated on transient failures when it is safe to (see `ClientOptions.retry`). */
  private async send(method: string, path: string, init: RequestOptions, accept: string): Promise<Response> {
    const canRetry = method === 'GET' || init.idempotent === true;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(method, path, init, accept);
      } catch (err) {
        const e = err as GatehouseApiError;
        if (!canRetry || attempt > this.retry.maxRetries || !isRetryable(e)) throw e;
        const delayMs = retryDelay(attempt, e, this.retry);
        if (delayMs === undefined) throw e;
        this.retry.onRetry?.({ attempt, delayMs, error: e });
        await sleep(delayMs, init.signal);
      }
    }
  }

  private async attempt(
    method: string,
    path: string,
    init: RequestOptions,
    accept: string,
  ): Promise<Response> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept,
      ...init.headers,
    };
    if (this.options.agentId) headers['gatehouse-agent-id'] = this.options.agentId;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (err) {
      throw this.error(0, ...transportFailure(err, this.baseUrl, timeout.aborted));
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let e: { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
    try {
      e = (JSON.parse(text) as { error?: typeof e })?.error;
    } catch {
      e = undefined;
    }
    throw this.error(
      res.status,
      e?.code ?? 'http_error',
      e?.message ?? `HTTP ${res.status}`,
      e?.details,
      res,
    );
  }

  /**
   * Errors travel far (logs, and through agent adapters to a language model), so the API key is
   * cut out of them even though the server never echoes it: defence in depth, not a known leak.
   */
  private error(
    status: number,
    code: string,
    message: string,
    details?: Record<string, unknown>,
    res?: Response,
  ): GatehouseApiError {
    const key = this.apiKey;
    const clean = (s: string) => s.split(key).join('[REDACTED]');
    const cleanDetails =
      details === undefined
        ? undefined
        : (JSON.parse(clean(JSON.stringify(details))) as Record<string, unknown>);
    return errorFor(status, code, clean(message), cleanDetails, {
      retryAfterMs: parseRetryAfter(res?.headers.get('retry-after') ?? null),
      requestId: res?.headers.get('x-request-id') ?? undefined,
    });
  }
}

function transportFailure(err: unknown, baseUrl: string, timedOut: boolean): [code: string, message: string] {
  if (timedOut) return ['request_timeout', `Gatehouse at ${baseUrl} did not answer in time`];
  if ((err as Error).name === 'AbortError') return ['aborted', 'the request was aborted'];
  return ['network_error', `cannot reach Gatehouse at ${baseUrl}: ${(err as Error).message}`];
}
