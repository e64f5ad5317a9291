import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { describePreference, pickRate, ratePreference, shipmentOutput } from '../../../shared/shipping';
import { type ShippoShipment, shippo, toRate } from '../client';
import { config } from '../config';
import { waitWhilePending } from '../poll';

const address = z.object({
  name: z.string().min(1).optional(),
  company: z.string().min(1).optional(),
  street1: z.string().min(1),
  street2: z.string().min(1).optional(),
  street3: z.string().min(1).optional(),
  city: z.string().min(1),
  state: z.string().min(1).optional(),
  zip: z.string().min(1),
  country: z.string().length(2).describe('ISO 3166 alpha-2, such as `US`.'),
  phone: z.string().min(1).optional(),
  email: z.email().optional(),
  is_residential: z.boolean().optional(),
});

const measure = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]);

const parcel = z.object({
  length: measure,
  width: measure,
  height: measure,
  distance_unit: z.enum(['cm', 'in', 'ft', 'mm', 'm', 'yd']),
  weight: measure,
  mass_unit: z.enum(['g', 'oz', 'lb', 'kg']),
});

const input = z.object({
  address_from: address,
  address_to: address,
  parcels: z.array(parcel).min(1),
  metadata: z.string().max(100).optional().describe('Your own note, such as the order number.'),
  carrier_accounts: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Rate only with these carrier accounts.'),
  shipment_date: z.iso
    .datetime()
    .optional()
    .describe('When the parcel is handed to the carrier. @default now'),
  ...ratePreference,
});

/** What a step gives `create-shipment`. */
export type CreateShipmentInput = z.input<typeof input>;

/**
 * Creates a Shippo shipment (`POST /shipments`, synchronous rating) and
 * picks the cheapest rate matching the step's `carrier` and `service`. No
 * matching rate fails the step without retry (`NO_RATES`), so a flow can
 * fall back to another carrier.
 */
export const createShipment = defineAction({
  description: 'Creates a Shippo shipment and returns its rates, with the cheapest matching one chosen.',
  config,
  input,
  output: shipmentOutput,
  examples: [
    {
      description: 'Rate a 2 lb box and prefer USPS',
      input: {
        address_from: {
          company: 'Acme Shop',
          street1: '215 Clayton St.',
          city: 'San Francisco',
          state: 'CA',
          zip: '94117',
          country: 'US',
        },
        address_to: {
          name: 'Ada Lovelace',
          street1: '965 Mission St',
          city: 'San Francisco',
          state: 'CA',
          zip: '94103',
          country: 'US',
        },
        parcels: [{ length: 10, width: 8, height: 4, distance_unit: 'in', weight: 2, mass_unit: 'lb' }],
        metadata: 'Order 1042',
        carrier: 'USPS',
      },
      output: {
        provider: 'shippo',
        shipmentId: '5e40ead7cffe4cc1ad45108696162e42',
        carrier: 'USPS',
        service: 'usps_ground_advantage',
        rate: {
          id: 'ec9f0d3adc9441449c85d315f0997fd5',
          carrier: 'USPS',
          service: 'usps_ground_advantage',
          amount: 6.5,
          currency: 'USD',
          estimatedDays: 5,
        },
        rates: [
          {
            id: 'ec9f0d3adc9441449c85d315f0997fd5',
            carrier: 'USPS',
            service: 'usps_ground_advantage',
            amount: 6.5,
            currency: 'USD',
            estimatedDays: 5,
          },
          {
            id: '5c4bbd2b8d5a4e84b6a1b8d52b6e7c1a',
            carrier: 'UPS',
            service: 'ups_ground',
            amount: 10.75,
            currency: 'USD',
            estimatedDays: 4,
          },
        ],
        messages: [],
      },
    },
  ],
  async run({ input, http, config: settings, signal }) {
    const { carrier, service, parcels, ...rest } = input;
    const body = {
      ...rest,
      parcels: parcels.map((p) => ({
        ...p,
        length: String(p.length),
        width: String(p.width),
        height: String(p.height),
        weight: String(p.weight),
      })),
      async: false,
    };
    const created = await shippo<ShippoShipment>(http, 'post', '/shipments', body);
    const shipment = await waitWhilePending(
      created,
      () => shippo<ShippoShipment>(http, 'get', `/shipments/${encodeURIComponent(created.object_id)}`),
      {
        intervalMs: settings.pollIntervalMs,
        timeoutMs: settings.pollTimeoutMs,
        signal,
        what: `Shipment ${created.object_id}`,
      },
    );
    const rates = (shipment.rates ?? []).map(toRate);
    const messages = (shipment.messages ?? []).map((m) => [m.source, m.text].filter(Boolean).join(': '));
    const chosen = pickRate(rates, { carrier, service });
    if (!chosen) {
      const why = messages.length > 0 ? ` (${messages.join('; ')})` : '';
      throw new NonRetryableError(
        `Shippo has no ${describePreference({ carrier, service })}rate for shipment ${shipment.object_id}${why}`,
        { code: 'NO_RATES', details: { shipmentId: shipment.object_id } },
      );
    }
    return {
      provider: 'shippo' as const,
      shipmentId: shipment.object_id,
      carrier: chosen.carrier,
      service: chosen.service,
      rate: chosen,
      rates,
      messages,
    };
  },
});
