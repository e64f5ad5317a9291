import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { type TrackingOutput, trackingOutput } from '../../../shared/shipping';
import { shippo } from '../client';
import { config } from '../config';

const input = z.object({
  trackingNumber: z.string().min(1).describe('From `buy-label`: `{{ steps.<id>.output.trackingNumber }}`.'),
  carrier: z
    .string()
    .min(1)
    .describe(
      'The carrier, such as `USPS` or `usps` (`shippo` for Shippo test numbers like `SHIPPO_DELIVERED`).',
    ),
});

/** What a step gives `track`. */
export type TrackInput = z.input<typeof input>;

interface ShippoStatus {
  status: string;
  substatus?: { code?: string } | null;
  status_details?: string | null;
  status_date?: string | null;
  location?: {
    city?: string | null;
    state?: string | null;
    zip?: string | null;
    country?: string | null;
  } | null;
}

interface ShippoTrack {
  carrier: string;
  tracking_number: string;
  eta?: string | null;
  tracking_status?: ShippoStatus | null;
  tracking_history?: ShippoStatus[];
}

const STATUS: Record<string, TrackingOutput['status']> = {
  PRE_TRANSIT: 'pre_transit',
  TRANSIT: 'in_transit',
  DELIVERED: 'delivered',
  RETURNED: 'returned',
  FAILURE: 'failure',
};

function normalise(status: ShippoStatus): TrackingOutput['status'] {
  // Shippo folds "out for delivery" into TRANSIT and says so in the substatus.
  if (status.status === 'TRANSIT' && status.substatus?.code === 'out_for_delivery') return 'out_for_delivery';
  if (status.status === 'TRANSIT' && status.substatus?.code === 'available_for_pickup')
    return 'available_for_pickup';
  return STATUS[status.status] ?? 'unknown';
}

function place(location: ShippoStatus['location']) {
  return location
    ? {
        city: location.city ?? null,
        state: location.state ?? null,
        zip: location.zip ?? null,
        country: location.country ?? null,
      }
    : null;
}

/** Tracks a parcel (`GET /tracks/<carrier>/<tracking number>`). */
export const track = defineAction({
  description: "Returns a parcel's status and tracking events from Shippo.",
  config,
  input,
  output: trackingOutput,
  examples: [
    {
      description: 'Track a Shippo test number',
      input: { trackingNumber: 'SHIPPO_DELIVERED', carrier: 'shippo' },
      output: {
        provider: 'shippo',
        trackingNumber: 'SHIPPO_DELIVERED',
        carrier: 'shippo',
        status: 'delivered',
        carrierStatus: 'DELIVERED',
        statusDetail: 'Your shipment has been delivered.',
        estimatedDelivery: null,
        publicUrl: null,
        events: [
          {
            status: 'delivered',
            carrierStatus: 'DELIVERED',
            message: 'Your shipment has been delivered.',
            occurredAt: '2024-05-02T18:21:00Z',
            location: { city: 'Chicago', state: 'IL', zip: '60611', country: 'US' },
          },
        ],
      },
    },
  ],
  async run({ input, http }) {
    const carrier = input.carrier.toLowerCase();
    const track = await shippo<ShippoTrack>(
      http,
      'get',
      `/tracks/${encodeURIComponent(carrier)}/${encodeURIComponent(input.trackingNumber)}`,
    );
    const latest = track.tracking_status ?? { status: 'UNKNOWN' };
    return {
      provider: 'shippo' as const,
      trackingNumber: track.tracking_number,
      carrier: track.carrier,
      status: normalise(latest),
      carrierStatus: latest.status,
      statusDetail: latest.status_details ?? null,
      estimatedDelivery: track.eta ?? null,
      publicUrl: null,
      events: (track.tracking_history ?? []).map((event) => ({
        status: normalise(event),
        carrierStatus: event.status,
        message: event.status_details ?? '',
        occurredAt: event.status_date ?? null,
        location: place(event.location),
      })),
    };
  },
});
