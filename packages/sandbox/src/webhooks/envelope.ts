import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookScheme } from './sign';

/** The Stripe API version stamped on sandbox events. */
export const STRIPE_API_VERSION = '2024-06-20';

/** An event to wrap: what happened, and its data. */
export interface WebhookEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  /** @default now */
  time?: Date;
}

/**
 * Wraps event data in the body each sender really posts:
 * - `standard-webhooks`: `{ type, timestamp, data }`, the spec's recommended payload
 * - `stripe`: an Event object, `{ id, object: "event", type, created, data: { object }, … }`
 * - `github`, `shopify`: the data itself (the type travels in a header)
 * - `hmac-sha256`: `{ id, type, time, data }`
 */
export function webhookBody(scheme: WebhookScheme, event: WebhookEvent): Record<string, unknown> {
  const time = event.time ?? new Date();
  switch (scheme) {
    case 'standard-webhooks':
      return { type: event.type, timestamp: time.toISOString(), data: event.data };
    case 'stripe':
      return {
        id: event.id,
        object: 'event',
        api_version: STRIPE_API_VERSION,
        created: Math.floor(time.getTime() / 1000),
        data: { object: event.data },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: event.type,
      };
    case 'github':
    case 'shopify':
      return event.data;
    case 'hmac-sha256':
      return { id: event.id, type: event.type, time: time.toISOString(), data: event.data };
  }
}

/** A fresh event id in the sender's own format. */
export function newEventId(scheme: WebhookScheme): string {
  switch (scheme) {
    case 'standard-webhooks':
      return `msg_${randomBytes(12).toString('base64url')}`;
    case 'stripe':
      return `evt_${randomBytes(12).toString('hex')}`;
    case 'hmac-sha256':
      return `evt_${randomUUID()}`;
    default:
      return randomUUID();
  }
}
