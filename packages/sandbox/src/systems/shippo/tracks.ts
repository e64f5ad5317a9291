import { Hono } from 'hono';
import { hexId } from '../_shipping/ids';
import type { ShippoStore } from './store';
import { carrierToken } from './transactions';

interface Event {
  status: 'PRE_TRANSIT' | 'TRANSIT' | 'DELIVERED' | 'RETURNED' | 'FAILURE';
  details: string;
  city: string;
  state: string;
  zip: string;
}

const LABEL_CREATED: Event = {
  status: 'PRE_TRANSIT',
  details: 'Shipping label created, the carrier awaits the item.',
  city: 'San Francisco',
  state: 'CA',
  zip: '94117',
};
const IN_TRANSIT: Event = {
  status: 'TRANSIT',
  details: 'Your shipment is in transit.',
  city: 'Memphis',
  state: 'TN',
  zip: '38118',
};

/**
 * Shippo's test-mode tracking numbers, for carrier `shippo`: each ends in
 * the status it names.
 */
const TEST_NUMBERS: Record<string, Event[]> = {
  SHIPPO_PRE_TRANSIT: [LABEL_CREATED],
  SHIPPO_TRANSIT: [LABEL_CREATED, IN_TRANSIT],
  SHIPPO_DELIVERED: [
    LABEL_CREATED,
    IN_TRANSIT,
    {
      status: 'DELIVERED',
      details: 'Your shipment has been delivered.',
      city: 'Chicago',
      state: 'IL',
      zip: '60611',
    },
  ],
  SHIPPO_RETURNED: [
    LABEL_CREATED,
    IN_TRANSIT,
    {
      status: 'RETURNED',
      details: 'Your shipment has been returned to the sender.',
      city: 'San Francisco',
      state: 'CA',
      zip: '94117',
    },
  ],
  SHIPPO_FAILURE: [
    LABEL_CREATED,
    IN_TRANSIT,
    {
      status: 'FAILURE',
      details: 'The carrier could not deliver your shipment.',
      city: 'Chicago',
      state: 'IL',
      zip: '60611',
    },
  ],
  SHIPPO_UNKNOWN: [],
};

/** `GET /tracks/<carrier>/<tracking number>`: the status and history of a parcel. */
export function tracks(store: ShippoStore) {
  const app = new Hono();
  app.on('GET', ['/tracks/:carrier/:number', '/tracks/:carrier/:number/'], (c) => {
    const carrier = c.req.param('carrier').toLowerCase();
    const number = c.req.param('number');
    const purchase = store.transactionByTracking(number);
    const rate = purchase ? store.rates.get(purchase.rate) : undefined;
    const ours = rate && carrierToken(rate) === carrier ? purchase : undefined;
    const events = carrier === 'shippo' ? (TEST_NUMBERS[number] ?? []) : ours ? [LABEL_CREATED] : [];
    const now = Date.now();
    const history = events.map((event, index) => {
      const at = new Date(now - (events.length - 1 - index) * 8 * 3_600_000).toISOString();
      return {
        object_created: at,
        object_updated: at,
        object_id: hexId(),
        status: event.status,
        substatus: null,
        status_details: event.details,
        status_date: at,
        location: { city: event.city, state: event.state, zip: event.zip, country: 'US' },
      };
    });
    const latest = history.at(-1) ?? {
      object_created: new Date(now).toISOString(),
      object_updated: new Date(now).toISOString(),
      object_id: hexId(),
      status: 'UNKNOWN',
      substatus: null,
      status_details: 'The carrier has not received any information about this tracking number yet.',
      status_date: null,
      location: null,
    };
    const shipment = rate ? store.shipments.get(rate.shipment) : undefined;
    const place = (
      address: { city: string; state: string | null; zip: string; country: string } | undefined,
    ) =>
      address
        ? { city: address.city, state: address.state, zip: address.zip, country: address.country }
        : null;
    const delivered = latest.status === 'DELIVERED';
    return c.json({
      carrier,
      tracking_number: number,
      address_from: ours ? place(shipment?.address_from) : null,
      address_to: ours ? place(shipment?.address_to) : null,
      eta: delivered ? null : (ours?.eta ?? null),
      original_eta: ours?.eta ?? null,
      servicelevel:
        ours && rate
          ? { token: rate.servicelevel.token, name: rate.servicelevel.name }
          : { token: null, name: null },
      metadata: null,
      messages: [],
      tracking_status: latest,
      tracking_history: history,
      transaction: ours?.object_id ?? null,
      test: true,
    });
  });
  return app;
}
