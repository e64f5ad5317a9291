import { Hono } from 'hono';
import { defineSystem } from '../system';
import { notFound, requireToken, shippoErrorHandler } from './shippo/errors';
import { shipments } from './shippo/shipments';
import { ShippoStore } from './shippo/store';
import { tracks } from './shippo/tracks';
import { transactions } from './shippo/transactions';

/**
 * Shippo, under `/shippo/…` (point a client's base URL at
 * `<sandbox>/shippo`): shipments rated by USPS, UPS and FedEx, label
 * purchase through `/transactions` (synchronous, or `QUEUED` then
 * `SUCCESS` with `async: true`), printable PDF labels, and tracking,
 * including Shippo's test numbers `SHIPPO_PRE_TRANSIT` … `SHIPPO_DELIVERED`
 * for carrier `shippo`. Auth is `Authorization: ShippoToken <token>`;
 * errors are Shippo's (`{ "detail" }` or field → messages).
 *
 * Ledger effects: `shipment.created` and `label.purchased` (ref: the
 * shipment id).
 */
export const shippoSystem = defineSystem({
  name: 'shippo',
  prefix: '/shippo',
  description: 'Shippo shipments, rates, label transactions and tracking (USPS, UPS, FedEx)',
  // Django REST framework's throttled answer: `{ "detail": "Request was throttled. …" }`.
  errorBody: (_status, message) => ({ detail: message }),
  create(state) {
    const store = new ShippoStore();
    state.onReset(() => store.reset());
    const app = new Hono();
    app.onError(shippoErrorHandler);
    // Label downloads need no token, as Shippo's label URLs do not.
    app.use('*', async (c, next) => (c.req.path.includes('/labels/') ? next() : requireToken()(c, next)));
    app.route('/', shipments(store, state));
    app.route('/', transactions(store, state));
    app.route('/', tracks(store));
    app.all('*', () => {
      throw notFound();
    });
    const root = new Hono();
    root.route('/', app);
    return root;
  },
});
