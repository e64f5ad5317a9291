import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import { hexId } from '../_shipping/ids';
import type { EasyPostShipment, EasyPostStore, EasyPostTracker } from './store';
import { timestamp } from './store';
import { advanceToDelivered } from './trackers';

/** The events the EasyPost sandbox sends to its webhook endpoint. */
export const EASYPOST_WEBHOOK_EVENTS = ['tracker.updated'] as const;

/** The account every sandbox event belongs to. */
const USER_ID = 'user_5bd5b1fe2a104a7bb4bc3a0a7f9e0d10';

/**
 * Once a label is bought, the parcel travels for the webhook endpoint's
 * `delayMs` and is then delivered. Without an endpoint parcels wait for
 * `POST /_sandbox/easypost/shipments/:id/deliver`.
 */
export function scheduleDelivery(state: SandboxState, shipment: EasyPostShipment): void {
  const endpoint = state.webhooks.endpoint('easypost');
  if (!endpoint) return;
  state.schedule(endpoint.delayMs, () => deliverShipment(state, shipment));
}

/**
 * Delivers a shipment's parcel: its tracker (and the shipment) become
 * `delivered`, and a `tracker.updated` event goes to the endpoint at once.
 * Answers false when it was delivered already.
 */
export function deliverShipment(state: SandboxState, shipment: EasyPostShipment): boolean {
  const tracker = shipment.tracker;
  if (!tracker) return false;
  const previous = advanceToDelivered(tracker);
  if (previous === undefined) return false;
  shipment.status = 'delivered';
  shipment.updated_at = tracker.updated_at;
  state.effect('easypost', 'shipment.delivered', shipment.id, {
    tracking_code: tracker.tracking_code,
    carrier: tracker.carrier,
    reference: shipment.reference,
  });
  sendTrackerUpdated(state, tracker, previous);
  return true;
}

/**
 * EasyPost's Event for a tracker whose status changed, with the tracker as
 * `result`, signed as EasyPost signs: `X-Hmac-Signature:
 * hmac-sha256-hex=<hex HMAC-SHA256 of the body>`, keyed with the webhook
 * secret in NFKD form.
 */
function sendTrackerUpdated(state: SandboxState, tracker: EasyPostTracker, previous: string): void {
  const id = `evt_${hexId()}`;
  const now = timestamp();
  state.webhooks.send('easypost', {
    id,
    type: 'tracker.updated',
    body: {
      id,
      object: 'Event',
      mode: 'test',
      description: 'tracker.updated',
      previous_attributes: { status: previous },
      result: structuredClone(tracker) as unknown as Record<string, unknown>,
      status: 'pending',
      pending_urls: [],
      completed_urls: [],
      user_id: USER_ID,
      created_at: now,
      updated_at: now,
    },
    sign: { scheme: 'hmac-sha256', header: 'X-Hmac-Signature', prefix: 'hmac-sha256-hex=', encoding: 'hex' },
    normalizeSecret: 'NFKD',
    delayMs: 0,
  });
}

/**
 * Control routes (`/_sandbox/easypost/…`): `POST /shipments/:id/deliver`
 * delivers a shipment whose label was bought now, and sends its
 * `tracker.updated` webhook. 409 before a label is bought; 200 with
 * `delivered: false` when it was delivered already.
 */
export function deliveryControl(store: EasyPostStore, state: SandboxState) {
  const app = new Hono();
  app.post('/shipments/:id/deliver', (c) => {
    const id = c.req.param('id');
    const shipment = store.shipments.get(id);
    if (!shipment) return c.json({ error: { message: `No shipment "${id}"` } }, 404);
    if (!shipment.tracker) {
      return c.json({ error: { message: `shipment ${id} has no label yet: buy one first` } }, 409);
    }
    const delivered = deliverShipment(state, shipment);
    return c.json({ delivered, shipment });
  });
  return app;
}
