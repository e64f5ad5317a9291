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

const config = () => ({ baseUrl: `${sandbox.url}/easypost/v2`, apiKey: 'EZTK_sandbox_key' });
const effects = (kind: string) =>
  sandbox.state.effects.filter((e) => e.system === 'easypost' && e.kind === kind);

const SHIPMENT = {
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
  const response = await fetch(`${sandbox.url}/_sandbox/faults/easypost`, {
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
      provider: 'easypost',
      shipmentId: expect.stringMatching(/^shp_/),
      messages: [],
    });
    expect(output.rates.length).toBeGreaterThan(3);
    expect(output.rate.amount).toBe(Math.min(...output.rates.map((r) => r.amount)));
    expect(output.carrier).toBe(output.rate.carrier);
    expect(effects('shipment.created')).toEqual([
      expect.objectContaining({
        ref: output.shipmentId,
        data: expect.objectContaining({ reference: 'order-1042' }),
      }),
    ]);
  });

  it('honours the carrier and service preferences', async () => {
    const { output } = await run<ShipmentOutput>('create-shipment', {
      ...SHIPMENT,
      carrier: 'ups',
      service: '2ndDayAir',
    });
    expect(output).toMatchObject({
      carrier: 'UPS',
      service: '2ndDayAir',
      rate: { carrier: 'UPS', estimatedDays: 2 },
    });
  });

  it('fails without retry when no carrier can take the parcel, so a flow can fall back', async () => {
    const error = await failure(
      run('create-shipment', { ...SHIPMENT, parcel: { weight: 80 * 16 }, carrier: 'USPS' }),
    );
    expect(error).toMatchObject({ code: 'NO_RATES', retryable: false });
    expect(error.message).toContain("(USPS: Package weight exceeds the carrier's maximum of 70 lbs.)");
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
      provider: 'easypost',
      shipmentId: ship.output.shipmentId,
      carrier: ship.output.carrier,
      service: ship.output.service,
      rate: ship.output.rate,
      trackingNumber: expect.stringMatching(/^(9400\d{18}|1Z[0-9A-F]{16})$/),
      labelId: expect.stringMatching(/^pl_/),
      trackingUrl: expect.stringMatching(/^https:\/\/track\.easypost\.com\//),
    });
    const label = await fetch(output.labelUrl);
    expect(label.headers.get('content-type')).toBe('application/pdf');
    expect(await label.text()).toContain(output.trackingNumber);
    expect(effects('label.purchased')).toHaveLength(1);
  });

  it('returns the label already bought when the step is retried', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const input = { shipmentId: ship.output.shipmentId, rateId: ship.output.rate.id };
    const first = await run<LabelOutput>('buy-label', input);
    const retried = await run<LabelOutput>('buy-label', input);
    expect(retried.output).toEqual(first.output);
    expect(effects('label.purchased')).toHaveLength(1);
  });

  it('refuses to buy a second, different rate for a shipment', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    await run('buy-label', { shipmentId: ship.output.shipmentId, rateId: ship.output.rate.id });
    const other = ship.output.rates.find((r) => r.id !== ship.output.rate.id);
    const error = await failure(run('buy-label', { shipmentId: ship.output.shipmentId, rateId: other?.id }));
    expect(error).toMatchObject({ code: 'SHIPMENT.POSTAGE.EXISTS', retryable: false });
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

  it('reports an unknown shipment as EasyPost NOT_FOUND, not retried', async () => {
    const error = await failure(run('buy-label', { shipmentId: 'shp_missing', rateId: 'rate_missing' }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('retries 5xx and honours Retry-After on 429', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
    const input = { shipmentId: ship.output.shipmentId, rateId: ship.output.rate.id };
    await fault({ statuses: [503] });
    expect(await failure(run('buy-label', input))).toMatchObject({ retryable: true });
    await fault({ rateLimit: { retryAfter: 3, count: 1 } });
    expect(await failure(run('buy-label', input))).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 3000,
    });
    const { output } = await run<LabelOutput>('buy-label', input);
    expect(output.trackingNumber).toBeTruthy();
    expect(effects('label.purchased')).toHaveLength(1);
  });
});

describe('track', () => {
  it('follows EasyPost test codes to their status, events oldest first', async () => {
    const { output } = await run<TrackingOutput>('track', {
      trackingNumber: 'EZ4000000004',
      carrier: 'USPS',
    });
    expect(output).toMatchObject({ provider: 'easypost', status: 'delivered', carrierStatus: 'delivered' });
    expect(output.events.map((e) => e.status)).toEqual([
      'pre_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect(output.events[0]?.location).toMatchObject({ city: 'SAN FRANCISCO', state: 'CA' });
    const returned = await run<TrackingOutput>('track', { trackingNumber: 'EZ5000000005' });
    expect(returned.output).toMatchObject({ status: 'returned', carrierStatus: 'return_to_sender' });
  });

  it('tracks a label it bought', async () => {
    const ship = await run<ShipmentOutput>('create-shipment', SHIPMENT);
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
      trackingNumber: label.output.trackingNumber,
      publicUrl: label.output.trackingUrl,
    });
  });
});

describe('the HTTP contract', () => {
  it('authenticates with the API key as the Basic username and sends JSON', async () => {
    await using server = await createTestServer(() => ({
      status: 201,
      json: { id: 'shp_1', rates: [], messages: [] },
    }));
    await runAction(connector, 'create-shipment', {
      config: { baseUrl: server.url, apiKey: 'EZTK_abc123' },
      input: SHIPMENT,
    }).catch(() => undefined);
    const request = server.requests[0];
    expect(request?.path).toBe('/shipments');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('EZTK_abc123:').toString('base64')}`);
    expect(request?.parsed).toMatchObject({ shipment: { parcel: { weight: 32 }, reference: 'order-1042' } });
  });

  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, { config: (baseUrl, apiKey) => ({ baseUrl, apiKey }) });
    expect(report.problems).toEqual([]);
  });
});
