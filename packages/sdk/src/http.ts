import { GatehouseApiError } from './errors.js';

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /**
   * Sent as `Gatehouse-Agent-Id`. With an agent key (`gth_ak_…`) it is unnecessary: the key names the
   * agent, and another id is refused (403). A plain runtime key cannot name an agent (403); an admin
   * key may, as an assertion (back-office tools, tests).
   */
  agentId?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Cancels the request (for example the AI SDK's abort signal); the timeout still applies. */
  signal?: AbortSignal | undefined;
}

/** The transport: JSON in and out, errors turned into GatehouseApiError with the server's code. */
export class HttpClient {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  async request<T>(method: string, path: string, init: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
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
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw this.error(
        res.status,
        'invalid_response',
        `Gatehouse answered ${res.status} with a non-JSON body`,
      );
    }
    if (!res.ok) {
      const e = (
        body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined
      )?.error;
      throw this.error(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.details);
    }
    return body as T;
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
  ): GatehouseApiError {
    const key = this.options.apiKey;
    const clean = (s: string) => (key ? s.split(key).join('[REDACTED]') : s);
    const cleanDetails =
      details === undefined
        ? undefined
        : (JSON.parse(clean(JSON.stringify(details))) as Record<string, unknown>);
    return new GatehouseApiError(status, code, clean(message), cleanDetails);
  }
}

function transportFailure(err: unknown, baseUrl: string, timedOut: boolean): [code: string, message: string] {
  if (timedOut) return ['request_timeout', `Gatehouse at ${baseUrl} did not answer in time`];
  if ((err as Error).name === 'AbortError') return ['aborted', 'the request was aborted'];
  return ['network_error', `cannot reach Gatehouse at ${baseUrl}: ${(err as Error).message}`];
}
