import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector, { type LabelOutput, type ShipmentOutput, type TrackingOutput } from './index';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const config = () => ({
  baseUrl: `${sandbox.url}/shippo`,
  apiKey: 'shippo_test_sandbox',
  pollIntervalMs: 10,
});
const effects = (kind: string) =>
  sandbox.state.effects.filter((e) => e.system === 'shippo' && e.kind === kind);

const SHIPMENT = {
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
    city: 'Chicago',
    state: 'IL',
    zip: '60611',
    country: 'US',
  },
  parcels: [
    { length: 10, width: 8, height: 4, distance_unit: 'in' as const, weight: 2, mass_unit: 'lb' as const },
  ],
  metadata: 'Order 1042',
};

function run<T>(action: string, input: unknown) {
  return runAction<T>(connector, action, { config: config(), input });
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected the action to fail');
    },
    (error: unknown) => error as { code: string; retryable: boolean; retryAfterMs?: number; message: string },
  );
}

async function fault(plan: unknown) {
  const response = await fetch(`${sandbox.url}/_sandbox/faults/shippo`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(response.status).toBe(200);
}

describe('create-shipment', () => {
  it('creates a rated shipment and chooses the cheapest rate', async () => {
    const { output } = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    expect(output).toMatchObject({
      provider: 'shippo',
      shipmentId: expect.stringMatching(/^[0-9a-f]{32}$/),
      messages: [],
    });
    expect(new Set(output.rates.map((r) => r.carrier))).toEqual(new Set(['USPS', 'UPS', 'FedEx']));
    expect(output.rate.amount).toBe(Math.min(...output.rates.map((r) => r.amount)));
    expect(effects('shipment.created')).toEqual([
      expect.objectContaining({
        ref: output.shipmentId,
        data: expect.objectContaining({ metadata: 'Order 1042' }),
      }),
    ]);
  });

  it('honours the carrier and service preferences', async () => {
    const { output } = await run<ShipmentOutput>('create-shipment', {
      ...SHIPMENT,
      carrier: 'fedex',
      service: 'FEDEX_2_DAY',
    });
    expect(output).toMatchObject({ carrier: 'FedEx', service: 'fedex_2_day', rate: { estimatedDays: 2 } });
  });

  it('fails without retry when the carrier cannot take the parcel, so a flow can fall back', async () => {
    const heavy = {
      ...SHIPMENT,
      parcels: [{ ...SHIPMENT.parcels[0], weight: 90, mass_unit: 'lb' as const }],
      carrier: 'USPS',
    };
    const error = await failure(run('create-shipment', heavy));
    expect(error).toMatchObject({ code: 'NO_RATES', retryable: false });
    expect(error.message).toContain("(USPS: Package weight exceeds the carrier's maximum of 70 lbs.)");
  });

  it('reports Shippo field errors in the message, not retried', async () => {
    await using server = await createTestServer(() => ({
      status: 400,
      json: {
        address_to: { street1: ['This field is required.'] },
        parcels: [{ mass_unit: ['"st" is not a valid choice.'] }],
      },
    }));
    const error = await failure(
      runAction(connector, 'create-shipment', {
        config: { baseUrl: server.url, apiKey: 'shippo_test_x' },
        input: SHIPMENT,
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(error.message).toBe(
      'Shippo answered 400: address_to.street1: This field is required.; parcels[0].mass_unit: "st" is not a valid choice.',
    );
  });
});

describe('buy-label', () => {
  it('buys the chosen rate: tracking number, a label that downloads, one purchase', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const { output } = await run<LabelOutput>('buy-label', {
      shipmentId: ship.output.shipmentId,
      rateId: ship.output.rate.id,
    });
    expect(output).toMatchObject({
      provider: 'shippo',
      shipmentId: ship.output.shipmentId,
      carrier: ship.output.carrier,
      service: ship.output.service,
      rate: ship.output.rate,
      labelId: expect.stringMatching(/^[0-9a-f]{32}$/),
      trackingUrl: expect.stringContaining(output.trackingNumber),
    });
    const label = await fetch(output.labelUrl);
    expect(label.headers.get('content-type')).toBe('application/pdf');
    expect(await label.text()).toContain(output.trackingNumber);
    expect(effects('label.purchased')).toHaveLength(1);
  });

  it('waits for a queued purchase to finish', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const { output } = await run<LabelOutput>('buy-label', {
      shipmentId: ship.output.shipmentId,
      rateId: ship.output.rate.id,
      async: true,
    });
    expect(output.trackingNumber).not.toBe('');
    const polls = sandbox.state.requests.filter(
      (r) =>
        r.system === 'shippo' && r.method === 'GET' && r.path.includes(`/transactions/${output.labelId}`),
    );
    expect(polls).toHaveLength(1);
  });

  it('returns the label already bought when the step is retried, instead of buying another', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const input = { shipmentId: ship.output.shipmentId, rateId: ship.output.rate.id };
    const first = await run<LabelOutput>('buy-label', input);
    const retried = await run<LabelOutput>('buy-label', input);
    expect(retried.output).toEqual(first.output);
    expect(effects('label.purchased')).toHaveLength(1);
  });

  it('picks the cheapest rate of a carrier when no rate id is given', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const { output } = await run<LabelOutput>('buy-label', {
      shipmentId: ship.output.shipmentId,
      carrier: 'UPS',
    });
    const ups = ship.output.rates.filter((r) => r.carrier === 'UPS');
    expect(output.rate.amount).toBe(Math.min(...ups.map((r) => r.amount)));
    expect(output.trackingNumber).toMatch(/^1Z/);
  });

  it('refuses a rate of another shipment', async () => {
    const one = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const two = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const error = await failure(
      run('buy-label', { shipmentId: one.output.shipmentId, rateId: two.output.rate.id }),
    );
    expect(error).toMatchObject({ code: 'RATE_MISMATCH', retryable: false });
  });

  it('reports an unknown rate as NOT_FOUND, not retried', async () => {
    const error = await failure(run('buy-label', { shipmentId: 'abc', rateId: 'nope' }));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      retryable: false,
      message: 'Shippo answered 404: Not found.',
    });
  });

  it('retries 5xx and honours Retry-After on 429', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const input = { shipmentId: ship.output.shipmentId, rateId: ship.output.rate.id };
    await fault({ statuses: [502] });
    expect(await failure(run('buy-label', input))).toMatchObject({ retryable: true });
    await fault({ rateLimit: { retryAfter: 4, count: 1 } });
    expect(await failure(run('buy-label', input))).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 4000,
    });
    await run('buy-label', input);
    expect(effects('label.purchased')).toHaveLength(1);
  });
});

describe('track', () => {
  it('follows Shippo test numbers to their status', async () => {
    const { output } = await run<TrackingOutput>('track', {
      trackingNumber: 'SHIPPO_DELIVERED',
      carrier: 'shippo',
    });
    expect(output).toMatchObject({ provider: 'shippo', status: 'delivered', carrierStatus: 'DELIVERED' });
    expect(output.events.map((e) => e.status)).toEqual(['pre_transit', 'in_transit', 'delivered']);
    const returned = await run<TrackingOutput>('track', {
      trackingNumber: 'SHIPPO_RETURNED',
      carrier: 'shippo',
    });
    expect(returned.output.status).toBe('returned');
    const unknown = await run<TrackingOutput>('track', {
      trackingNumber: 'SHIPPO_UNKNOWN',
      carrier: 'shippo',
    });
    expect(unknown.output).toMatchObject({ status: 'unknown', events: [] });
  });

  it('tracks a label it bought, with the carrier as buy-label returned it', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', { ...SHIPMENT, carrier: 'FedEx' });
    const label = await run<LabelOutput>('buy-label', {
      shipmentId: ship.output.shipmentId,
      rateId: ship.output.rate.id,
    });
    const { output } = await run<TrackingOutput>('track', {
      trackingNumber: label.output.trackingNumber,
      carrier: label.output.carrier,
    });
    expect(output).toMatchObject({
      status: 'pre_transit',
      carrier: 'fedex',
      trackingNumber: label.output.trackingNumber,
    });
    expect(output.estimatedDelivery).not.toBeNull();
  });
});

describe('conformance', () => {
  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, { config: (baseUrl, apiKey) => ({ baseUrl, apiKey }) });
    expect(report.problems).toEqual([]);
  });
});
