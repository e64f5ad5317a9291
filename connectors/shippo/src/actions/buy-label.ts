import { defineAction, type HttpClient, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import {
  describePreference,
  labelOutput,
  pickRate,
  type RatePreference,
  ratePreference,
} from '../../../shared/shipping';
import {
  type ShippoRate,
  type ShippoShipment,
  type ShippoTransaction,
  shippo,
  toLabel,
  toRate,
} from '../client';
import { config } from '../config';
import { PENDING, waitWhilePending } from '../poll';

const input = z.object({
  shipmentId: z.string().min(1).describe('From `create-shipment`: `{{ steps.<id>.output.shipmentId }}`.'),
  rateId: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The rate to buy, such as `{{ steps.<id>.output.rate.id }}`. Without it, the cheapest matching rate.',
    ),
  ...ratePreference,
  label_file_type: z
    .enum(['PDF', 'PDF_4x6', 'PDF_4x8', 'PDF_A4', 'PDF_A6', 'PDF_2.3x7.5', 'PNG', 'PNG_2.3x7.5', 'ZPLII'])
    .optional()
    .describe('@default the format set in the Shippo dashboard'),
  async: z
    .boolean()
    .default(false)
    .describe('Let Shippo buy in the background; the action waits for the queued purchase to finish.'),
  metadata: z.string().max(100).optional(),
});

/** What a step gives `buy-label`. */
export type BuyLabelInput = z.input<typeof input>;

/**
 * Buys a label (`POST /transactions`) for a rate: by id, or the cheapest
 * matching `carrier` and `service`. Queued purchases (`QUEUED`, `WAITING`)
 * are polled until `SUCCESS`. Shippo has no idempotency key and would sell
 * a second label for the same rate, so the action first looks for a
 * purchase of that rate (`GET /transactions?rate=`) and returns it when an
 * earlier attempt of the step already bought it.
 */
export const buyLabel = defineAction({
  description: 'Buys the shipping label for a Shippo rate and returns the tracking number and label URL.',
  config,
  input,
  output: labelOutput,
  examples: [
    {
      description: 'Buy the rate chosen by create-shipment',
      input: { shipmentId: '5e40ead7cffe4cc1ad45108696162e42', rateId: 'ec9f0d3adc9441449c85d315f0997fd5' },
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
        trackingNumber: '9234690396055702568186',
        labelUrl: 'https://deliver.goshippo.com/1e3adda1934443079737edb336067106.pdf',
        trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction_input?origTrackNum=9234690396055702568186',
        labelId: '48ee2ce651894bf3bb37f1af0612bd6a',
      },
    },
    {
      description: 'Buy the cheapest FedEx rate',
      input: { shipmentId: '5e40ead7cffe4cc1ad45108696162e42', carrier: 'FedEx' },
    },
  ],
  async run({ input, http, config: settings, signal }) {
    const rate = input.rateId
      ? await shippo<ShippoRate>(http, 'get', `/rates/${encodeURIComponent(input.rateId)}`)
      : await cheapestRate(http, input.shipmentId, input);
    if (rate.shipment !== input.shipmentId) {
      throw new NonRetryableError(
        `Rate ${rate.object_id} belongs to shipment ${rate.shipment}, not ${input.shipmentId}`,
        {
          code: 'RATE_MISMATCH',
        },
      );
    }
    const bought = await shippo<{ results?: ShippoTransaction[] }>(http, 'get', '/transactions', undefined, {
      rate: rate.object_id,
      results: '25',
    });
    const earlier = (bought.results ?? []).find(
      (t) => t.rate === rate.object_id && (t.status === 'SUCCESS' || PENDING.has(t.status)),
    );
    const started =
      earlier ??
      (await shippo<ShippoTransaction>(http, 'post', '/transactions', {
        rate: rate.object_id,
        async: input.async,
        ...(input.label_file_type ? { label_file_type: input.label_file_type } : {}),
        ...(input.metadata ? { metadata: input.metadata } : {}),
      }));
    const transaction = await waitWhilePending(
      started,
      () => shippo<ShippoTransaction>(http, 'get', `/transactions/${encodeURIComponent(started.object_id)}`),
      {
        intervalMs: settings.pollIntervalMs,
        timeoutMs: settings.pollTimeoutMs,
        signal,
        what: `Label purchase ${started.object_id}`,
      },
    );
    if (transaction.status !== 'SUCCESS') {
      const why = (transaction.messages ?? [])
        .map((m) => m.text)
        .filter(Boolean)
        .join('; ');
      throw new NonRetryableError(
        `Shippo could not buy the label (${transaction.status})${why ? `: ${why}` : ''}`,
        {
          code: 'LABEL_PURCHASE_FAILED',
          details: { transaction: transaction.object_id, status: transaction.status },
        },
      );
    }
    return toLabel(transaction, rate);
  },
});

async function cheapestRate(
  http: HttpClient,
  shipmentId: string,
  preference: RatePreference,
): Promise<ShippoRate> {
  const shipment = await shippo<ShippoShipment>(http, 'get', `/shipments/${encodeURIComponent(shipmentId)}`);
  const rates = shipment.rates ?? [];
  const chosen = pickRate(rates.map(toRate), preference);
  const rate = chosen && rates.find((candidate) => candidate.object_id === chosen.id);
  if (!rate) {
    throw new NonRetryableError(
      `Shippo has no ${describePreference(preference)}rate for shipment ${shipmentId}`,
      {
        code: 'NO_RATES',
      },
    );
  }
  return rate;
}
