import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import {
  describePreference,
  labelOutput,
  pickRate,
  type RatePreference,
  ratePreference,
} from '../../../shared/shipping';
import { type EasyPostShipment, easyPost, toLabel, toRate } from '../client';
import { config } from '../config';
import { isPostageExists } from '../errors';

const input = z.object({
  shipmentId: z
    .string()
    .startsWith('shp_')
    .describe('From `create-shipment`: `{{ steps.<id>.output.shipmentId }}`.'),
  rateId: z
    .string()
    .startsWith('rate_')
    .optional()
    .describe(
      'The rate to buy, such as `{{ steps.<id>.output.rate.id }}`. Without it, the cheapest matching rate.',
    ),
  ...ratePreference,
  insurance: z.number().positive().optional().describe('Insure the parcel for this many dollars.'),
});

/** What a step gives `buy-label`. */
export type BuyLabelInput = z.input<typeof input>;

/**
 * Buys the label for a shipment (`POST /shipments/:id/buy`): a rate by id,
 * or the cheapest matching `carrier` and `service`. EasyPost sells one
 * label per shipment, so a retry after a lost answer meets
 * `SHIPMENT.POSTAGE.EXISTS`; the action then returns the label already
 * bought instead of failing or paying twice.
 */
export const buyLabel = defineAction({
  description:
    'Buys the shipping label for an EasyPost shipment and returns the tracking number and label URL.',
  config,
  input,
  output: labelOutput,
  examples: [
    {
      description: 'Buy the rate chosen by create-shipment',
      input: {
        shipmentId: 'shp_5948db965e944950b6acc052af7f79a1',
        rateId: 'rate_22ca9cdf88be4b5da8e91b051e673534',
      },
      output: {
        provider: 'easypost',
        shipmentId: 'shp_5948db965e944950b6acc052af7f79a1',
        carrier: 'USPS',
        service: 'Priority',
        rate: {
          id: 'rate_22ca9cdf88be4b5da8e91b051e673534',
          carrier: 'USPS',
          service: 'Priority',
          amount: 7.47,
          currency: 'USD',
          estimatedDays: 2,
        },
        trackingNumber: '9405500105440232839154',
        labelUrl:
          'https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20230710/e6ad0a33bff1634f128c21d0e75e066491.png',
        trackingUrl: 'https://track.easypost.com/djE6dHJrXzYxOGIzMTc2MTgxOTQyM2NiZDU4MjBjMTE5NDljZTQx',
        labelId: 'pl_ed73e71d2910440bac0eae34a6e4c9fa',
      },
    },
    {
      description: 'Buy the cheapest UPS rate',
      input: { shipmentId: 'shp_5948db965e944950b6acc052af7f79a1', carrier: 'UPS' },
    },
  ],
  async run({ input, http }) {
    const path = `/shipments/${encodeURIComponent(input.shipmentId)}`;
    const rateId = input.rateId ?? (await chooseRate(http, path, input));
    let bought: EasyPostShipment;
    try {
      bought = await easyPost<EasyPostShipment>(http, 'post', `${path}/buy`, {
        rate: { id: rateId },
        ...(input.insurance ? { insurance: input.insurance.toFixed(2) } : {}),
      });
    } catch (error) {
      if (!isPostageExists(error)) throw error;
      // An earlier attempt of this step bought it and its answer was lost: return that label.
      bought = await easyPost<EasyPostShipment>(http, 'get', path);
      if (bought.selected_rate && bought.selected_rate.id !== rateId) {
        throw new NonRetryableError(
          `Shipment ${input.shipmentId} already has a label for rate ${bought.selected_rate.id}, not ${rateId}`,
          { code: 'SHIPMENT.POSTAGE.EXISTS', cause: error },
        );
      }
    }
    const label = toLabel(bought);
    if (!label) {
      throw new NonRetryableError(`EasyPost returned shipment ${input.shipmentId} without a label`, {
        code: 'LABEL_MISSING',
      });
    }
    return label;
  },
});

async function chooseRate(
  http: Parameters<typeof easyPost>[0],
  path: string,
  preference: RatePreference & { shipmentId: string },
): Promise<string> {
  const shipment = await easyPost<EasyPostShipment>(http, 'get', path);
  const chosen = pickRate((shipment.rates ?? []).map(toRate), preference);
  if (!chosen) {
    throw new NonRetryableError(
      `EasyPost has no ${describePreference(preference)}rate for shipment ${preference.shipmentId}`,
      {
        code: 'NO_RATES',
      },
    );
  }
  return chosen.id;
}
