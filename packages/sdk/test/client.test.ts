import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode, statusOf } from '../../server/src/shared/errors.js';
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ERROR_STATUS,
  Gatehouse,
  GatehouseApiError,
  isGatehouseError,
  NotFoundError,
  ServerError,
} from '../src/index.js';
import { parseRetryAfter, retryDelay } from '../src/retry.js';
import { type AdapterWorld, startAdapterWorld } from './support/adapter-world.js';
import { flakyFront } from './support/flaky-front.js';

let w: AdapterWorld;
beforeAll(async () => {
  w = await startAdapterWorld('client-test');
}, 300_000);
afterAll(async () => {
  await w?.close();
});

describe('retries: idempotent calls only, honouring Retry-After', () => {
  it('a GET is retried after the server’s Retry-After, and succeeds', async () => {
    const front = await flakyFront(w.gh.url, { failures: 1, retryAfter: '1' });
    const retries: Array<{ attempt: number; delayMs: number; code: string }> = [];
    const sdk = new Gatehouse({
      baseUrl: front.url,
      apiKey: w.apiKey,
      retry: {
        onRetry: ({ attempt, delayMs, error }) => retries.push({ attempt, delayMs, code: error.code }),
      },
    });
    const page = await sdk.tools.list({ toolkits: ['acme'], limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(retries).toEqual([{ attempt: 1, delayMs: 1000, code: 'not_ready' }]);
    expect(front.seen).toHaveLength(2);
    await front.close();
  });

  it('an execute without an idempotency key is never repeated; with one it is, and runs once', async () => {
    const front = await flakyFront(w.gh.url, { failures: 1 });
    const sdk = new Gatehouse({ baseUrl: front.url, apiKey: w.apiKey, agentId: 'client-test' });
    const args = { userId: 'alice', arguments: { title: 'retry: exactly once' } };
    const refused = await sdk.tools.execute('acme.tasks.create', args).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServerError);
    expect(refused).toMatchObject({ status: 503, code: 'not_ready', retryAfterMs: 0 });
    expect(front.seen).toHaveLength(1);

    const second = await flakyFront(w.gh.url, { failures: 1 });
    const keyed = new Gatehouse({ baseUrl: second.url, apiKey: w.apiKey, agentId: 'client-test' });
    const ran = await keyed.tools.execute('acme.tasks.create', { ...args, idempotencyKey: 'retry-once-1' });
    expect(ran).toMatchObject({ successful: true, data: { title: 'retry: exactly once' } });
    expect(second.seen.filter((s) => s.startsWith('POST'))).toHaveLength(2);
    // And a repeat with the same key replays: one task upstream, whatever the retries.
    const replay = await keyed.tools.execute('acme.tasks.create', {
      ...args,
      idempotencyKey: 'retry-once-1',
    });
    expect(replay.executionId).toBe(ran.executionId);
    const audit = await w.sdk.audit.list({
      agentId: 'client-test',
      tool: 'acme.tasks.create',
      outcome: 'success',
    });
    expect(audit.items).toHaveLength(1);
    await front.close();
    await second.close();
  });

  it('a network failure is retried for a GET; the caller’s abort surfaces as ConnectionError', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed: ECONNRESET');
      return fetch(input, init);
    };
    const sdk = new Gatehouse({
      baseUrl: w.gh.url,
      apiKey: w.apiKey,
      fetch: flaky,
      retry: { baseDelayMs: 1 },
    });
    expect((await sdk.tools.list({ limit: 1 })).items).toHaveLength(1);
    expect(calls).toBe(2);
    const aborted = await sdk.tools
      .execute('acme.tasks.list', { userId: 'alice' }, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(ConnectionError);
    expect(aborted).toMatchObject({ status: 0, code: 'aborted' });
  });

  it('backoff doubles with full jitter up to a cap; Retry-After takes dates too', () => {
    const o = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    const err = new GatehouseApiError(502, 'upstream_error', 'x');
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, err, o, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelay(3, err, o, () => 0)).toBe(0);
    const slow = new GatehouseApiError(429, 'rate_limited', 'x', undefined, { retryAfterMs: 60_000 });
    expect(retryDelay(1, slow, o)).toBeUndefined(); // longer than allowed: give up at once
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('7')).toBe(7_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('configuration and errors', () => {
  it('reads GATEHOUSE_URL and GATEHOUSE_API_KEY when no options are given', async () => {
    const saved = { url: process.env.GATEHOUSE_URL, key: process.env.GATEHOUSE_API_KEY };
    try {
      process.env.GATEHOUSE_URL = w.gh.url;
      process.env.GATEHOUSE_API_KEY = w.apiKey;
      const sdk = new Gatehouse();
      expect(sdk.baseUrl).toBe(w.gh.url);
      expect((await sdk.tools.list({ limit: 1 })).items).toHaveLength(1);
      delete process.env.GATEHOUSE_API_KEY;
      expect(() => new Gatehouse()).toThrow(/GATEHOUSE_API_KEY/);
    } finally {
      for (const [name, value] of [
        ['GATEHOUSE_URL', saved.url],
        ['GATEHOUSE_API_KEY', saved.key],
      ] as const)
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });

  it('answers become typed errors by code, and never carry the key', async () => {
    const missing = await w.sdk.tools.retrieve('acme.tasks.fly').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(isGatehouseError(missing, 'tool_not_found')).toBe(true);
    expect((missing as NotFoundError).requestId).toEqual(expect.any(String));

    const invalid = await w.sdk.tools
      .execute('acme.tasks.create', { userId: 'alice', arguments: { title: 42 } })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect(invalid).toMatchObject({ code: 'invalid_arguments', details: { issues: expect.any(Array) } });

    const stranger = new Gatehouse({ baseUrl: w.gh.url, apiKey: 'gth_sk_not_a_real_key_0000000000' });
    const denied = await stranger.tools.list().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(denied).toBeInstanceOf(GatehouseApiError);
    expect(JSON.stringify(denied) + String((denied as Error).message)).not.toContain('gth_sk_not_a_real_key');
  });

  it('the SDK’s error table is the server’s closed table, code for code', () => {
    const source = readFileSync(new URL('../../server/src/shared/errors.ts', import.meta.url), 'utf8');
    const table = source.slice(source.indexOf('const STATUS = {'), source.indexOf('} as const satisfies'));
    const serverCodes = [...table.matchAll(/^\s+([a-z_]+): \d{3},/gm)].map((m) => m[1]!);
    expect(serverCodes.length).toBeGreaterThan(50);
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...serverCodes].sort());
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(isErrorCode(code)).toBe(true);
      if (isErrorCode(code)) expect(statusOf(code), code).toBe(status);
    }
  });
});
