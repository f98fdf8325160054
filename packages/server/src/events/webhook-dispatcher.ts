import type { Outbound } from '../outbound/client.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { EventLog } from './event-log.js';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signatureHeader } from './signing.js';
import type { WebhookService } from './webhook-service.js';
import type { DeliveryRow, WebhookStore } from './webhook-store.js';

export interface DispatcherSettings {
  intervalMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Whether endpoints may be loopback/private (the SSRF-guarded pool is used otherwise). */
  allowInternal: boolean;
}

const BATCH = 32;
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 6 * 60 * 60_000;

/**
 * Delivers the webhook outbox: whichever replica leases a delivery (SKIP LOCKED) POSTs the signed
 * event through the SSRF-guarded outbound client; a non-2xx answer or no answer is retried with
 * exponential backoff until `maxAttempts`, and every attempt's result is kept (the delivery log).
 */
export class WebhookDispatcher {
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #nudged = false;

  constructor(
    private readonly d: {
      db: Db;
      store: WebhookStore;
      webhooks: WebhookService;
      events: EventLog;
      outbound: Outbound;
      log: Logger;
      metrics: Metrics;
    },
    private readonly settings: DispatcherSettings,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // An event committed on this replica is delivered without waiting for the next tick.
    this.d.events.onEmit(() => this.nudge());
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  nudge(): void {
    this.#nudged = true;
    this.#wake?.();
  }

  /** Delivers one batch; returns how many deliveries it attempted. */
  async tick(): Promise<number> {
    const due = await this.d.store.claimDue(BATCH, this.settings.timeoutMs * 2 + 5_000);
    await Promise.all(due.map((d) => this.#deliver(d)));
    return due.length;
  }

  async #deliver(d: DeliveryRow): Promise<void> {
    let statusCode: number | null = null;
    let error: string | null = null;
    const target = await this.d.webhooks.target(d.project_id, d.endpoint_id);
    const event = await this.d.events.get(d.project_id, d.event_id);
    if (!target.ok || !event) {
      error = target.ok ? 'the event no longer exists' : target.error.message;
    } else {
      const body = JSON.stringify(event);
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        const res = await this.d.outbound.fetchFor(this.settings.allowInternal)(target.value.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Gatehouse-Webhooks/1',
            [SIGNATURE_HEADER]: signatureHeader(target.value.secret, body, timestamp),
            [EVENT_ID_HEADER]: event.id,
            [EVENT_TYPE_HEADER]: event.type,
          },
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
        statusCode = res.status;
        await res.body?.cancel();
        if (res.status < 200 || res.status >= 300) error = `the endpoint answered ${res.status}`;
      } catch (err) {
        const e = err as { name?: string; code?: string; cause?: { code?: string } };
        error =
          e.name === 'TimeoutError'
            ? `no answer within ${this.settings.timeoutMs} ms`
            : `cannot reach the endpoint (${e.code ?? e.cause?.code ?? 'network error'})`;
      }
    }
    const delivered = error === null;
    const giveUp = !delivered && d.attempts >= this.settings.maxAttempts;
    const outcome = delivered ? 'delivered' : giveUp ? 'failed' : 'retry';
    this.d.metrics.webhookDeliveries.inc({ outcome });
    const backoff =
      Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (d.attempts - 1)) * (0.75 + Math.random() / 2);
    await this.d.store.record(this.d.db, d, {
      status: delivered ? 'succeeded' : giveUp ? 'failed' : 'pending',
      statusCode,
      error,
      nextAttemptAt: new Date(Date.now() + (delivered || giveUp ? 0 : backoff)),
    });
    if (!delivered)
      this.d.log.warn(
        {
          project_id: d.project_id,
          webhook_id: d.endpoint_id,
          event_id: d.event_id,
          attempts: d.attempts,
          outcome,
        },
        'webhook delivery failed',
      );
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#nudged = false;
      let n = 0;
      try {
        n = await this.tick();
      } catch (err) {
        this.d.log.error({ err: (err as Error).message }, 'webhook dispatcher tick failed');
      }
      if (n >= BATCH || this.#nudged || !this.#running) {
        // A nudge may arrive before its transaction commits: look again shortly rather than at once.
        if (this.#nudged && n < BATCH) await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.intervalMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
