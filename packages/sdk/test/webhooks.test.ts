import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../src/index.js';

const secret = 'whsec_test_secret_for_the_sdk_helper';
const body = JSON.stringify({
  id: 'evt_1',
  type: 'connection.revoked',
  createdAt: '2026-11-23T00:00:00.000Z',
  data: { connectedAccount: { id: 'ca_1', userId: 'alice', status: 'REVOKED' } },
});
const sign = (t: number, payload = body, key = secret) =>
  `t=${t},v1=${createHmac('sha256', key).update(`${t}.${payload}`).digest('hex')}`;

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof WebhookVerificationError) return err.code;
    throw err;
  }
  return 'verified';
};

describe('verifyWebhook', () => {
  const now = 1_800_000_000;

  it('accepts an authentic delivery and returns the event', () => {
    const event = verifyWebhook({ payload: body, header: sign(now), secret, now });
    expect(event).toMatchObject({ id: 'evt_1', type: 'connection.revoked' });
  });

  it('accepts the raw body as bytes, and a second v1 (secret rotation)', () => {
    const header = `${sign(now, body, 'whsec_old')},v1=${sign(now).split('v1=')[1]}`;
    expect(verifyWebhook({ payload: Buffer.from(body), header, secret, now }).id).toBe('evt_1');
  });

  it('refuses a tampered body, a wrong secret, a missing or malformed header', () => {
    expect(
      codeOf(() =>
        verifyWebhook({ payload: body.replace('alice', 'mallory'), header: sign(now), secret, now }),
      ),
    ).toBe('signature_mismatch');
    expect(
      codeOf(() => verifyWebhook({ payload: body, header: sign(now, body, 'whsec_other'), secret, now })),
    ).toBe('signature_mismatch');
    expect(codeOf(() => verifyWebhook({ payload: body, header: undefined, secret, now }))).toBe(
      'missing_signature',
    );
    expect(codeOf(() => verifyWebhook({ payload: body, header: 'v1=abc', secret, now }))).toBe(
      'malformed_signature',
    );
  });

  it('refuses a replay outside the tolerance, even with a valid signature', () => {
    expect(codeOf(() => verifyWebhook({ payload: body, header: sign(now - 301), secret, now }))).toBe(
      'timestamp_out_of_tolerance',
    );
    expect(
      codeOf(() =>
        verifyWebhook({ payload: body, header: sign(now - 20), secret, now, toleranceSeconds: 10 }),
      ),
    ).toBe('timestamp_out_of_tolerance');
  });
});
