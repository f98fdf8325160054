import { Redis } from 'ioredis';
import type { Consumed, Counter, CounterCheck } from './counter.js';

// Checks every counter, then adds to every counter: atomic, as Redis runs a script alone.
// KEYS: the counters; ARGV: limit, cost, expire-at (ms) for each, in the same order.
const CONSUME = `
for i = 1, #KEYS do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used + tonumber(ARGV[(i - 1) * 3 + 2]) > tonumber(ARGV[(i - 1) * 3 + 1]) then
    return {i, tostring(used)}
  end
end
for i = 1, #KEYS do
  redis.call('INCRBYFLOAT', KEYS[i], ARGV[(i - 1) * 3 + 2])
  redis.call('PEXPIREAT', KEYS[i], ARGV[(i - 1) * 3 + 3])
end
return {0, '0'}
`;

/** Counters in Redis (`GATEHOUSE_REDIS_URL`): one Lua script per call; keys expire with their window. */
export class RedisCounter implements Counter {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(url: string, options: { keyPrefix?: string } = {}) {
    this.redis = new Redis(url, {
      // Fail fast: a call waiting on a dead Redis is worse than a clear error.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      lazyConnect: true,
      keyPrefix: options.keyPrefix ?? 'gatehouse:limits:',
    });
    this.redis.defineCommand('gatehouseConsume', { lua: CONSUME });
    // Connection errors surface on the calls that need Redis; the client reconnects by itself.
    this.redis.on('error', () => {});
  }

  async consume(projectId: string, checks: readonly CounterCheck[]): Promise<Consumed> {
    // The {projectId} hash tag keeps one call's keys in one Redis Cluster slot.
    const keys = checks.map((c) => `{${projectId}}:${c.key}:${c.windowEnd.getTime()}`);
    const args = checks.flatMap((c) => [String(c.limit), String(c.cost), String(c.windowEnd.getTime())]);
    const run = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<[number, string]>>)
      .gatehouseConsume!;
    const [index, used] = await run.call(this.redis, keys.length, ...keys, ...args);
    return index === 0 ? { ok: true } : { ok: false, index: index - 1, used: Number(used) };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
