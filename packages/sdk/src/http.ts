import { GatehouseApiError } from './errors.js';

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Sent as `Gatehouse-Agent-Id` so audit and policy know which agent acted. */
  agentId?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

/** The transport: JSON in and out, errors turned into GatehouseApiError with the server's code. */
export class HttpClient {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  async request<T>(
    method: string,
    path: string,
    init: { query?: Query; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
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
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new GatehouseApiError(
        0,
        'network_error',
        `cannot reach Gatehouse at ${this.baseUrl}: ${(err as Error).message}`,
      );
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new GatehouseApiError(
        res.status,
        'invalid_response',
        `Gatehouse answered ${res.status} with a non-JSON body`,
      );
    }
    if (!res.ok) {
      const e = (
        body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined
      )?.error;
      throw new GatehouseApiError(
        res.status,
        e?.code ?? 'http_error',
        e?.message ?? `HTTP ${res.status}`,
        e?.details,
      );
    }
    return body as T;
  }
}
