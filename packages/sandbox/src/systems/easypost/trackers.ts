import { Hono } from 'hono';
import { readObjectBody, record, text } from '../_shipping/body';
import { hexId } from '../_shipping/ids';
import { EasyPostError, missing, notFound } from './errors';
import { type EasyPostStore, type EasyPostTracker, type TrackingDetail, timestamp } from './store';

interface Step {
  status: string;
  message: string;
  city: string;
  state: string;
  zip: string;
}

const PATH: readonly Step[] = [
  {
    status: 'pre_transit',
    message: 'Pre-Shipment Info Sent to USPS',
    city: 'SAN FRANCISCO',
    state: 'CA',
    zip: '94104',
  },
  {
    status: 'in_transit',
    message: 'Arrived at USPS Regional Origin Facility',
    city: 'OAKLAND',
    state: 'CA',
    zip: '94621',
  },
  {
    status: 'out_for_delivery',
    message: 'Out for Delivery',
    city: 'REDONDO BEACH',
    state: 'CA',
    zip: '90277',
  },
];

const DELIVERED: Step = {
  status: 'delivered',
  message: 'Delivered, In/At Mailbox',
  city: 'REDONDO BEACH',
  state: 'CA',
  zip: '90277',
};

/**
 * EasyPost's test tracking codes (https://docs.easypost.com/docs/trackers):
 * each ends in a fixed status, with the events that lead there.
 */
const TEST_CODES: Record<string, Step[]> = {
  EZ1000000001: PATH.slice(0, 1),
  EZ2000000002: PATH.slice(0, 2),
  EZ3000000003: PATH.slice(0, 3),
  EZ4000000004: [...PATH, DELIVERED],
  EZ5000000005: [
    ...PATH.slice(0, 2),
    {
      status: 'return_to_sender',
      message: 'Return to Sender Processed',
      city: 'OAKLAND',
      state: 'CA',
      zip: '94621',
    },
  ],
  EZ6000000006: [
    ...PATH.slice(0, 2),
    {
      status: 'failure',
      message: 'Delivery Attempt Failed: No Access to Delivery Location',
      city: 'REDONDO BEACH',
      state: 'CA',
      zip: '90277',
    },
  ],
  EZ7000000007: [],
};

/** Makes and stores a tracker: from a purchase (label created), a test code, or an unknown code. */
export function createTracker(
  store: EasyPostStore,
  code: string,
  carrier: string,
  options: { shipmentId?: string } = {},
): EasyPostTracker {
  const now = Date.now();
  const steps: Step[] = options.shipmentId
    ? [
        {
          status: 'pre_transit',
          message: 'Shipping Label Created',
          city: 'SAN FRANCISCO',
          state: 'CA',
          zip: '94104',
        },
      ]
    : (TEST_CODES[code] ?? []);
  const details = steps.map((step, index) =>
    // Events a few hours apart, ending now.
    trackingDetail(step, carrier, new Date(now - (steps.length - 1 - index) * 6 * 3_600_000)),
  );
  const last = details.at(-1);
  const id = `trk_${hexId()}`;
  const tracker: EasyPostTracker = {
    id,
    object: 'Tracker',
    mode: 'test',
    tracking_code: code,
    status: last?.status ?? 'unknown',
    status_detail: last ? 'status_update' : 'unknown',
    created_at: timestamp(),
    updated_at: timestamp(),
    signed_by: last?.status === 'delivered' ? 'John Tester' : null,
    est_delivery_date: last && last.status !== 'delivered' ? timestamp(new Date(now + 2 * 86_400_000)) : null,
    shipment_id: options.shipmentId ?? null,
    carrier,
    tracking_details: details,
    public_url: `https://track.easypost.com/${Buffer.from(id).toString('base64url')}`,
  };
  store.trackers.set(id, tracker);
  return tracker;
}

/**
 * Moves a tracker on to `delivered`, with the scans a parcel gets on the
 * way (in transit, out for delivery, delivered), all dated now. Answers the
 * status it had before, or undefined when it was delivered already.
 */
export function advanceToDelivered(tracker: EasyPostTracker): string | undefined {
  if (tracker.status === 'delivered') return undefined;
  const previous = tracker.status;
  const seen = new Set(tracker.tracking_details.map((detail) => detail.status));
  const now = new Date();
  for (const step of [...PATH, DELIVERED]) {
    if (!seen.has(step.status)) tracker.tracking_details.push(trackingDetail(step, tracker.carrier, now));
  }
  tracker.status = 'delivered';
  tracker.status_detail = 'arrived_at_destination';
  tracker.signed_by = 'John Tester';
  tracker.est_delivery_date = null;
  tracker.updated_at = timestamp(now);
  return previous;
}

function trackingDetail(step: Step, carrier: string, at: Date): TrackingDetail {
  return {
    object: 'TrackingDetail',
    message: step.message,
    description: '',
    status: step.status,
    status_detail: 'status_update',
    datetime: timestamp(at),
    source: carrier,
    tracking_location: {
      object: 'TrackingLocation',
      city: step.city,
      state: step.state,
      country: 'US',
      zip: step.zip,
    },
  };
}

/** `/v2/trackers`: create (or find) a tracker for a tracking code, and retrieve one. */
export function trackers(store: EasyPostStore) {
  const app = new Hono();

  app.post('/', async (c) => {
    const body = await readObjectBody(c);
    if (!body) throw new EasyPostError(400, 'BAD_REQUEST', 'The request body could not be parsed.');
    const input = record(body, 'tracker');
    const code = text(input, 'tracking_code');
    if (!code) throw missing('tracker.tracking_code');
    const carrier = (text(input, 'carrier') ?? 'USPS').toUpperCase();
    // Creating a tracker twice for one code returns the first: EasyPost bills one tracker.
    const existing = store.trackerFor(code, carrier);
    if (existing) return c.json(existing, 200);
    return c.json(createTracker(store, code, carrier), 201);
  });

  app.get('/:id', (c) => {
    const tracker = store.trackers.get(c.req.param('id'));
    if (!tracker) throw notFound();
    return c.json(tracker);
  });

  return app;
}
