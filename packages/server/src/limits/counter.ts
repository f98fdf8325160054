/** One counter a call must fit in: `cost` is added to `key` unless that would pass `limit`. */
export interface CounterCheck {
  key: string;
  limit: number;
  cost: number;
  /** When this counter's window ends (and the counter starts again from zero). */
  windowEnd: Date;
}

export type Consumed = { ok: true } | { ok: false; index: number; used: number };

/**
 * Counters behind rate limits and budgets. `consume` is all-or-nothing: either every check fits
 * and each cost is added, or nothing is added and the first check that would not fit is named.
 */
export interface Counter {
  readonly kind: 'postgres' | 'redis';
  consume(projectId: string, checks: readonly CounterCheck[]): Promise<Consumed>;
  close(): Promise<void>;
}
