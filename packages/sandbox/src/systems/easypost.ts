import { Hono } from 'hono';
import { defineSystem } from '../system';
import { deliveryControl, EASYPOST_WEBHOOK_EVENTS } from './easypost/delivery';
import { easyPostErrorHandler, notFound, requireApiKey } from './easypost/errors';
import { labelFiles, shipments } from './easypost/shipments';
import { EasyPostStore } from './easypost/store';
import { trackers } from './easypost/trackers';

/**
 * EasyPost, under `/easypost/v2/…` (point a client's base URL at
 * `<sandbox>/easypost/v2`): shipments rated by USPS and UPS accounts,
 * label purchase with a printable PDF label, and trackers, including
 * EasyPost's test tracking codes `EZ1000000001` (pre_transit) …
 * `EZ4000000004` (delivered) … `EZ7000000007` (unknown). Parcels heavier
 * than a carrier takes (USPS 70 lb, UPS 150 lb) get no rate from it.
 * Errors are EasyPost's `{ "error": { "code", "message", "errors" } }`.
 *
 * Webhooks (once `PUT /_sandbox/webhooks/easypost` sets an endpoint): a
 * parcel whose label was bought is delivered `delayMs` later, and a
 * `tracker.updated` Event (the tracker as `result`, status `delivered`)
 * goes out at once, signed `X-Hmac-Signature: hmac-sha256-hex=…`.
 * `POST /_sandbox/easypost/shipments/:id/deliver` delivers one now.
 *
 * Ledger effects: `shipment.created`, `label.purchased` and
 * `shipment.delivered` (ref: the shipment id); `webhook.sent` and
 * `webhook.failed` (ref: the event id).
 */
export const easypostSystem = defineSystem({
  name: 'easypost',
  prefix: '/easypost',
  description: 'EasyPost shipments, rates, label purchase and trackers (USPS, UPS)',
  webhooks: EASYPOST_WEBHOOK_EVENTS,
  errorBody: (status, message) => ({
    error: { code: status === 429 ? 'RATE_LIMITED' : 'SERVICE.UNAVAILABLE', message, errors: [] },
  }),
  create(state, control) {
    const store = new EasyPostStore();
    state.onReset(() => store.reset());
    control.route('/', deliveryControl(store, state));
    const app = new Hono();
    app.onError(easyPostErrorHandler);
    app.use('/v2/*', requireApiKey());
    app.route('/v2/shipments', shipments(store, state));
    app.route('/v2/trackers', trackers(store));
    app.all('/v2/*', () => {
      throw notFound();
    });
    // Label downloads need no key, as EasyPost's label URLs do not.
    app.route('/files', labelFiles(store));
    const root = new Hono();
    root.route('/', app);
    return root;
  },
});
