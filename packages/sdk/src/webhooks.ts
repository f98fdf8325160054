import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApprovalDecidedBy } from './approvals.js';

/** The events Gatehouse sends to a webhook endpoint (and lists at `GET /v1/events`). */
export type WebhookEventType = ConnectionEventType | ApprovalEventType;

export type ConnectionEventType =
  | 'connection.active'
  | 'connection.refreshed'
  | 'connection.expired'
  | 'connection.revoked'
  | 'connection.deleted';

/** `approval.requested`: a policy asks the user to approve a call; `approval.decided`: approved or denied. */
export type ApprovalEventType = 'approval.requested' | 'approval.decided';

/** Narrow on `type`: connection events carry `data.connectedAccount`, approval events `data.approval`. */
export type WebhookEvent = ConnectionWebhookEvent | ApprovalWebhookEvent;

export interface ConnectionWebhookEvent {
  id: string;
  type: ConnectionEventType;
  createdAt: string;
  data: {
    connectedAccount: {
      id: string;
      userId: string;
      authConfigId: string;
      providerId: string;
      label: string | null;
      /** `DELETED` in `connection.deleted`: the connection no longer exists. */
      status: 'INITIATED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'FAILED' | 'DELETED';
      statusReason: string | null;
      accessTokenExpiresAt: string | null;
    };
  };
}

/**
 * An approval was requested or decided. It names the call (tool, account, user, agent) but carries
 * neither its arguments (`GET /v1/approvals/{id}` with an admin key shows them) nor the approval
 * link, which only the tool result holds: notify the user, and let them decide in your own UI
 * (`gatehouse.approvals.approve`) or at the link the agent relayed.
 */
export interface ApprovalWebhookEvent {
  id: string;
  type: ApprovalEventType;
  createdAt: string;
  data: {
    approval: {
      id: string;
      /** `pending` in `approval.requested`; `approved` or `denied` in `approval.decided`. */
      status: 'pending' | 'approved' | 'denied';
      userId: string;
      agentId: string | null;
      /** The tool slug. */
      tool: string;
      connectedAccountId: string;
      policies: string[];
      decidedBy: ApprovalDecidedBy | null;
      decidedAt: string | null;
      expiresAt: string;
      createdAt: string;
    };
  };
}

export type WebhookVerificationErrorCode =
  | 'missing_signature'
  | 'malformed_signature'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch'
  | 'invalid_payload';

/** The delivery is not authentic (or too old): answer 400 and do not act on it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyWebhookInput {
  /** The raw request body exactly as received (not re-serialised JSON). */
  payload: string | Uint8Array;
  /** The `Gatehouse-Signature` header: `t=<unix seconds>,v1=<hex>` (several v1 during secret rotation). */
  header: string | null | undefined;
  /** The endpoint's signing secret (`whsec_…`), shown once when the webhook was created. */
  secret: string;
  /** How old (or how far in the future) the timestamp may be; default 300 s. */
  toleranceSeconds?: number;
  /** For tests: the current time in unix seconds. */
  now?: number;
}

/**
 * Checks a webhook delivery: HMAC-SHA256 over `${t}.${payload}` with the endpoint's secret, compared
 * in constant time, and a timestamp within the tolerance (so a captured delivery cannot be replayed
 * later). Returns the parsed event; throws WebhookVerificationError otherwise.
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookEvent {
  const { header, secret } = input;
  if (!header) throw new WebhookVerificationError('missing_signature', 'no Gatehouse-Signature header');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0)
    throw new WebhookVerificationError('malformed_signature', 'the signature header has no t= or v1= part');
  const payload =
    typeof input.payload === 'string' ? input.payload : Buffer.from(input.payload).toString('utf8');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest();
  const matches = signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches)
    throw new WebhookVerificationError('signature_mismatch', 'the signature does not match the payload');
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance)
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `the signature timestamp is ${Math.abs(now - timestamp)} s away from now (tolerance ${tolerance} s)`,
    );
  try {
    return JSON.parse(payload) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'the payload is not JSON');
  }
}
