import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { describePreference, pickRate, ratePreference, shipmentOutput } from '../../../shared/shipping';
import { type EasyPostShipment, easyPost, toRate } from '../client';
import { config } from '../config';

const address = z.object({
  name: z.string().min(1).optional(),
  company: z.string().min(1).optional(),
  street1: z.string().min(1),
  street2: z.string().min(1).optional(),
  city: z.string().min(1),
  state: z.string().min(1).optional(),
  zip: z.string().min(1),
  country: z.string().length(2).optional().describe('ISO 3166 alpha-2. @default US'),
  phone: z.string().min(1).optional(),
  email: z.email().optional(),
  residential: z.boolean().optional(),
});

const input = z.object({
  to_address: address,
  from_address: address,
  parcel: z.object({
    weight: z.number().positive().describe('In ounces.'),
    length: z.number().positive().optional().describe('In inches.'),
    width: z.number().positive().optional().describe('In inches.'),
    height: z.number().positive().optional().describe('In inches.'),
    predefined_package: z.string().min(1).optional().describe('A carrier box, such as `FlatRateEnvelope`.'),
  }),
  reference: z.string().min(1).max(100).optional().describe('Your own reference, such as the order number.'),
  carrier_accounts: z
    .array(z.string().startsWith('ca_'))
    .min(1)
    .optional()
    .describe('Rate only with these accounts.'),
  options: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('EasyPost shipment options, such as { "label_format": "PDF" }.'),
  ...ratePreference,
});

/** What a step gives `create-shipment`. */
export type CreateShipmentInput = z.input<typeof input>;

/**
 * Creates an EasyPost shipment (`POST /shipments`), which every carrier
 * account rates, and picks the cheapest rate matching the step's `carrier`
 * and `service`. No matching rate fails the step without retry
 * (`NO_RATES`), so a flow can fall back to another carrier.
 */
export const createShipment = defineAction({
  description: 'Creates an EasyPost shipment and returns its rates, with the cheapest matching one chosen.',
  config,
  input,
  output: shipmentOutput,
  examples: [
    {
      description: 'Rate a 2 lb parcel and prefer USPS',
      input: {
        to_address: {
          name: 'Ada Lovelace',
          street1: '179 N Harbor Dr',
          city: 'Redondo Beach',
          state: 'CA',
          zip: '90277',
        },
        from_address: {
          company: 'Acme Shop',
          street1: '417 Montgomery Street',
          city: 'San Francisco',
          state: 'CA',
          zip: '94104',
        },
        parcel: { weight: 32, length: 10, width: 8, height: 4 },
        reference: 'order-1042',
        carrier: 'USPS',
      },
      output: {
        provider: 'easypost',
        shipmentId: 'shp_5948db965e944950b6acc052af7f79a1',
        carrier: 'USPS',
        service: 'GroundAdvantage',
        rate: {
          id: 'rate_e4df015173864a1a8c4e2144e2eeb055',
          carrier: 'USPS',
          service: 'GroundAdvantage',
          amount: 6.8,
          currency: 'USD',
          estimatedDays: 5,
        },
        rates: [
          {
            id: 'rate_e4df015173864a1a8c4e2144e2eeb055',
            carrier: 'USPS',
            service: 'GroundAdvantage',
            amount: 6.8,
            currency: 'USD',
            estimatedDays: 5,
          },
          {
            id: 'rate_22ca9cdf88be4b5da8e91b051e673534',
            carrier: 'USPS',
            service: 'Priority',
            amount: 9.29,
            currency: 'USD',
            estimatedDays: 2,
          },
        ],
        messages: [],
      },
    },
  ],
  async run({ input, http }) {
    const { carrier, service, ...shipment } = input;
    const created = await easyPost<EasyPostShipment>(http, 'post', '/shipments', { shipment });
    const rates = (created.rates ?? []).map(toRate);
    const messages = (created.messages ?? []).map((m) => [m.carrier, m.message].filter(Boolean).join(': '));
    const chosen = pickRate(rates, { carrier, service });
    if (!chosen) {
      const why = messages.length > 0 ? ` (${messages.join('; ')})` : '';
      throw new NonRetryableError(
        `EasyPost has no ${describePreference({ carrier, service })}rate for shipment ${created.id}${why}`,
        { code: 'NO_RATES', details: { shipmentId: created.id } },
      );
    }
    return {
      provider: 'easypost' as const,
      shipmentId: created.id,
      carrier: chosen.carrier,
      service: chosen.service,
      rate: chosen,
      rates,
      messages,
    };
  },
});
