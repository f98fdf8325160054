import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'gatehouse-signature';
export const EVENT_ID_HEADER = 'gatehouse-event-id';
export const EVENT_TYPE_HEADER = 'gatehouse-event-type';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp is signed with the body,
 * so a captured delivery cannot be replayed later with a fresh timestamp (the SDK's verifyWebhook
 * checks both). The same scheme as Stripe's, which developers already know how to verify.
 */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}
