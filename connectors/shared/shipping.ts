import { z } from 'zod';

/**
 * The carrier-neutral shapes `@baton/connector-easypost` and
 * `@baton/connector-shippo` both return, field for field, so a flow's later
 * steps read `steps.<id>.output.trackingNumber` (and the rest) the same way
 * whichever carrier a fallback picked. One module, imported by relative path
 * and bundled into both packages at build.
 */

/** Which connector produced the output. */
export const provider = z.enum(['easypost', 'shippo']);

/** One price quote. */
export const rate = z.object({
  /** The vendor's rate id: pass it to `buy-label` as `rateId`. */
  id: z.string(),
  /** `USPS`, `UPS`, `FedEx` … as the vendor spells it. */
  carrier: z.string(),
  /** The vendor's service identifier: EasyPost `Priority`, Shippo `usps_priority`. */
  service: z.string(),
  /** The price, in `currency` units (dollars, not cents), as the carrier quotes it. */
  amount: z.number(),
  currency: z.string(),
  /** Business days in transit, when the carrier says. */
  estimatedDays: z.number().int().nullable(),
});

/** What `create-shipment` returns: the shipment, the rate chosen for it, and every rate. */
export const shipmentOutput = z.object({
  provider,
  shipmentId: z.string(),
  /** Carrier of the chosen rate. */
  carrier: z.string(),
  /** Service of the chosen rate. */
  service: z.string(),
  /** The cheapest rate matching the step's `carrier` and `service` preferences. */
  rate,
  rates: z.array(rate),
  /** Why some carriers gave no rate, in their words. */
  messages: z.array(z.string()),
});

/** What `buy-label` returns. */
export const labelOutput = z.object({
  provider,
  shipmentId: z.string(),
  carrier: z.string(),
  service: z.string(),
  rate,
  trackingNumber: z.string(),
  /** Where to download the printable label. */
  labelUrl: z.string(),
  /** The carrier's or vendor's public tracking page, when there is one. */
  trackingUrl: z.string().nullable(),
  /** The vendor's id of the purchase: EasyPost postage label `pl_…`, Shippo transaction. */
  labelId: z.string(),
});

/** Where a parcel is, in words every carrier maps to. */
export const trackingStatus = z.enum([
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'delivered',
  'returned',
  'failure',
  'cancelled',
  'unknown',
]);

const location = z
  .object({
    city: z.string().nullable(),
    state: z.string().nullable(),
    zip: z.string().nullable(),
    country: z.string().nullable(),
  })
  .nullable();

/** What `track` returns. */
export const trackingOutput = z.object({
  provider,
  trackingNumber: z.string(),
  carrier: z.string(),
  status: trackingStatus,
  /** The vendor's own status word, such as `return_to_sender` or `TRANSIT`. */
  carrierStatus: z.string(),
  statusDetail: z.string().nullable(),
  /** ISO 8601, when the carrier gives one. */
  estimatedDelivery: z.string().nullable(),
  publicUrl: z.string().nullable(),
  /** Oldest first. */
  events: z.array(
    z.object({
      status: trackingStatus,
      carrierStatus: z.string(),
      message: z.string(),
      occurredAt: z.string().nullable(),
      location,
    }),
  ),
});

/** A quote in the shared shape. */
export type Rate = z.output<typeof rate>;
/** What `create-shipment` returns. */
export type ShipmentOutput = z.output<typeof shipmentOutput>;
/** What `buy-label` returns. */
export type LabelOutput = z.output<typeof labelOutput>;
/** What `track` returns. */
export type TrackingOutput = z.output<typeof trackingOutput>;

/** How a step narrows the choice of rate; both are matched without regard to case. */
export interface RatePreference {
  carrier?: string | undefined;
  service?: string | undefined;
}

/** The zod fields of a {@link RatePreference}, spread into an action's input. */
export const ratePreference = {
  carrier: z.string().min(1).optional().describe('Only rates of this carrier, such as `USPS`.'),
  service: z
    .string()
    .min(1)
    .optional()
    .describe("Only this service, by the vendor's identifier (EasyPost `Priority`, Shippo `usps_priority`)."),
};

/** The cheapest rate matching the preferences, if any. */
export function pickRate(rates: readonly Rate[], preference: RatePreference): Rate | undefined {
  const same = (a: string, b: string | undefined) => b === undefined || a.toLowerCase() === b.toLowerCase();
  return rates
    .filter(
      (candidate) =>
        same(candidate.carrier, preference.carrier) && same(candidate.service, preference.service),
    )
    .reduce<Rate | undefined>(
      (best, candidate) => (!best || candidate.amount < best.amount ? candidate : best),
      undefined,
    );
}

/** Says which rates were asked for, for error messages. */
export function describePreference(preference: RatePreference): string {
  const parts = [preference.carrier, preference.service].filter(Boolean);
  return parts.length > 0 ? `${parts.join(' ')} ` : '';
}
