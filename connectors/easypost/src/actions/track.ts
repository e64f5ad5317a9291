import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { type TrackingOutput, trackingOutput, trackingStatus } from '../../../shared/shipping';
import { easyPost } from '../client';
import { config } from '../config';

const input = z.object({
  trackingNumber: z.string().min(1).describe('From `buy-label`: `{{ steps.<id>.output.trackingNumber }}`.'),
  carrier: z
    .string()
    .min(1)
    .optional()
    .describe('Such as `USPS` or `UPS`; EasyPost guesses it when left out.'),
});

/** What a step gives `track`. */
export type TrackInput = z.input<typeof input>;

interface EasyPostTracker {
  tracking_code: string;
  carrier: string;
  status: string;
  status_detail?: string | null;
  est_delivery_date?: string | null;
  public_url?: string | null;
  tracking_details?: Array<{
    status: string;
    message?: string | null;
    datetime?: string | null;
    tracking_location?: {
      city?: string | null;
      state?: string | null;
      zip?: string | null;
      country?: string | null;
    } | null;
  }>;
}

const STATUS: Record<string, TrackingOutput['status']> = {
  pre_transit: 'pre_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'available_for_pickup',
  delivered: 'delivered',
  return_to_sender: 'returned',
  failure: 'failure',
  error: 'failure',
  cancelled: 'cancelled',
};

function normalise(status: string): TrackingOutput['status'] {
  return trackingStatus.safeParse(STATUS[status]).data ?? 'unknown';
}

/**
 * Tracks a parcel (`POST /trackers`). EasyPost keeps one tracker per
 * tracking code and carrier, so asking again returns the same tracker with
 * its latest status, not a new bill.
 */
export const track = defineAction({
  description: "Returns a parcel's status and tracking events from EasyPost.",
  config,
  input,
  output: trackingOutput,
  examples: [
    {
      description: 'Track the label an earlier step bought',
      input: { trackingNumber: 'EZ4000000004', carrier: 'USPS' },
      output: {
        provider: 'easypost',
        trackingNumber: 'EZ4000000004',
        carrier: 'USPS',
        status: 'delivered',
        carrierStatus: 'delivered',
        statusDetail: 'arrived_at_destination',
        estimatedDelivery: null,
        publicUrl: 'https://track.easypost.com/djE6dHJrX2FjZmNjNTA1OGM1NDQ1YmRhNmMzYzMzMTEyNWQ1MmM5',
        events: [
          {
            status: 'delivered',
            carrierStatus: 'delivered',
            message: 'Delivered, In/At Mailbox',
            occurredAt: '2023-12-01T05:14:45Z',
            location: { city: 'CHARLESTON', state: 'SC', zip: '29401', country: 'US' },
          },
        ],
      },
    },
  ],
  async run({ input, http }) {
    const tracker = await easyPost<EasyPostTracker>(http, 'post', '/trackers', {
      tracker: { tracking_code: input.trackingNumber, ...(input.carrier ? { carrier: input.carrier } : {}) },
    });
    return {
      provider: 'easypost' as const,
      trackingNumber: tracker.tracking_code,
      carrier: tracker.carrier,
      status: normalise(tracker.status),
      carrierStatus: tracker.status,
      statusDetail: tracker.status_detail ?? null,
      estimatedDelivery: tracker.est_delivery_date ?? null,
      publicUrl: tracker.public_url ?? null,
      events: (tracker.tracking_details ?? []).map((detail) => ({
        status: normalise(detail.status),
        carrierStatus: detail.status,
        message: detail.message ?? '',
        occurredAt: detail.datetime ?? null,
        location: detail.tracking_location
          ? {
              city: detail.tracking_location.city ?? null,
              state: detail.tracking_location.state ?? null,
              zip: detail.tracking_location.zip ?? null,
              country: detail.tracking_location.country ?? null,
            }
          : null,
      })),
    };
  },
});
