import { urlTargetsPrivateAddress } from '../outbound/address-policy.js';
import { newId, randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Page, PageResult } from '../store/pagination.js';
import type { Vault } from '../vault/vault.js';
import type { EventType } from './event-log.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookStore } from './webhook-store.js';

const secretBinding = (id: string) => ({ table: 'webhook_endpoints', rowId: id, purpose: 'signing_secret' });

export interface WebhookInput {
  url: string;
  events?: EventType[] | undefined;
}

/** Webhook endpoints of a project. The signing secret is generated here, shown once, kept in the vault. */
export class WebhookService {
  constructor(
    private readonly store: WebhookStore,
    private readonly vault: Vault,
    /** GATEHOUSE_ALLOW_INTERNAL_PROVIDERS: loopback/private targets and plain http (never in production by default). */
    private readonly allowInternal: boolean,
  ) {}

  async create(
    projectId: string,
    input: WebhookInput,
  ): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
    const url = checkUrl(input.url, this.allowInternal);
    if (!url.ok) return url;
    const id = newId('whk');
    const secret = `whsec_${randomToken(40)}`;
    const endpoint = await this.store.insert(projectId, {
      id,
      url: url.value,
      events: input.events && input.events.length > 0 ? [...new Set(input.events)] : null,
      secretCt: await this.vault.encrypt(projectId, secretBinding(id), secret),
    });
    return ok({ endpoint, secret });
  }

  async get(projectId: string, id: string): Promise<Result<WebhookEndpoint>> {
    const found = await this.store.get(projectId, id);
    return found ? ok(found) : fail('not_found', `webhook ${id} not found`);
  }

  list(projectId: string, page: Page): Promise<PageResult<WebhookEndpoint>> {
    return this.store.list(projectId, page);
  }

  async delete(projectId: string, id: string): Promise<Result<true>> {
    return (await this.store.delete(projectId, id)) ? ok(true) : fail('not_found', `webhook ${id} not found`);
  }

  async deliveries(projectId: string, id: string, page: Page): Promise<Result<PageResult<WebhookDelivery>>> {
    if (!(await this.store.get(projectId, id))) return fail('not_found', `webhook ${id} not found`);
    return ok(await this.store.deliveries(projectId, id, page));
  }

  /**
   * Sends a past delivery's event again (same event id and payload) as a new delivery recorded as a
   * redelivery of it; the dispatcher signs it afresh when it sends. A delivery of another endpoint or
   * project is not found; one still pending (or already being redelivered) is a conflict.
   */
  async redeliver(
    projectId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<Result<WebhookDelivery>> {
    const original = await this.store.delivery(projectId, endpointId, deliveryId);
    if (!original) return fail('not_found', `delivery ${deliveryId} of webhook ${endpointId} not found`);
    if (original.status === 'pending')
      return fail('conflict', `delivery ${deliveryId} is still pending: it is retried without a redeliver`);
    const queued = await this.store.insertRedelivery(projectId, endpointId, original, newId('whd'));
    return queued ? ok(queued) : fail('conflict', `a redelivery of ${deliveryId} is already pending`);
  }

  /** For the dispatcher: where to send and what to sign with. */
  async target(projectId: string, id: string): Promise<Result<{ url: string; secret: string }>> {
    const found = await this.store.secretOf(projectId, id);
    if (!found) return fail('not_found', `webhook ${id} not found`);
    const secret = await this.vault.decrypt(projectId, secretBinding(id), found.secretCt);
    return secret.ok ? ok({ url: found.url, secret: secret.value }) : secret;
  }
}

/** https only, no credentials in the URL; loopback/private/http only where the instance allows internal targets. */
function checkUrl(raw: string, allowInternal: boolean): Result<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('invalid_request', 'body.url: not a valid URL');
  }
  if (url.protocol !== 'https:' && !(allowInternal && url.protocol === 'http:'))
    return fail('invalid_request', 'body.url: must use https');
  if (url.username || url.password) return fail('invalid_request', 'body.url: must not contain credentials');
  if (!allowInternal && urlTargetsPrivateAddress(url))
    return fail('address_not_allowed', 'body.url: private, loopback and reserved addresses are not allowed');
  url.hash = '';
  return ok(url.toString());
}
