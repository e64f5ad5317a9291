import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { shippoSystem } from './shippo';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely, field by field, in assertions
type Json = Record<string, any>;

const SHIPMENT = {
  address_from: {
    name: 'Shawn Ippotle',
    street1: '215 Clayton St.',
    city: 'San Francisco',
    state: 'CA',
    zip: '94117',
    country: 'US',
  },
  address_to: {
    name: 'Mr Hippo',
    street1: '965 Mission St #572',
    city: 'San Francisco',
    state: 'CA',
    zip: '94103',
    country: 'US',
  },
  parcels: [{ length: '5', width: '5', height: '5', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
  async: false,
};

function setup() {
  const { app, state } = createSandboxApp({ systems: [shippoSystem] });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token: string | null = 'shippo_test_abc',
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `ShippoToken ${token}`;
    const response = await app.request(`/shippo${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  return { call, state, app };
}

describe('shippo sandbox', () => {
  it('creates a shipment with rates from USPS, UPS and FedEx, tagged cheapest and fastest', async () => {
    const { call, state } = setup();
    const created = await call('POST', '/shipments/', { ...SHIPMENT, metadata: 'Order 42' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'SUCCESS', metadata: 'Order 42', test: true });
    expect(new Set(created.body.rates.map((r: { provider: string }) => r.provider))).toEqual(
      new Set(['USPS', 'UPS', 'FedEx']),
    );
    const cheapest = created.body.rates.filter((r: { attributes: string[] }) =>
      r.attributes.includes('CHEAPEST'),
    );
    expect(cheapest).toHaveLength(1);
    const lowest = Math.min(...created.body.rates.map((r: { amount: string }) => Number(r.amount)));
    expect(Number(cheapest[0].amount)).toBe(lowest);
    expect(created.body.rates[0].servicelevel.token).toMatch(/^(usps|ups|fedex)_/);
    expect(state.effects.filter((e) => e.kind === 'shipment.created')).toHaveLength(1);
    const rate = await call('GET', `/rates/${created.body.rates[0].object_id}`);
    expect(rate.body.shipment).toBe(created.body.object_id);
    expect((await call('GET', `/shipments/${created.body.object_id}`)).body.object_id).toBe(
      created.body.object_id,
    );
  });

  it('buys a label synchronously, and finds it again by rate', async () => {
    const { call, state, app } = setup();
    const created = await call('POST', '/shipments', SHIPMENT);
    const rate = created.body.rates.find(
      (r: { servicelevel: { token: string } }) => r.servicelevel.token === 'usps_priority',
    );
    const bought = await call('POST', '/transactions', {
      rate: rate.object_id,
      label_file_type: 'PDF',
      async: false,
    });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({
      status: 'SUCCESS',
      rate: rate.object_id,
      tracking_status: 'PRE_TRANSIT',
    });
    expect(bought.body.tracking_number).toMatch(/^9400\d{18}$/);
    const listed = await call('GET', `/transactions?rate=${rate.object_id}&object_status=SUCCESS`);
    expect(listed.body.results.map((t: { object_id: string }) => t.object_id)).toEqual([
      bought.body.object_id,
    ]);
    expect(listed.body.next).toBeNull();
    const label = await app.request(new URL(bought.body.label_url).pathname);
    expect(label.headers.get('content-type')).toBe('application/pdf');
    expect(state.effects.filter((e) => e.kind === 'label.purchased')).toEqual([
      expect.objectContaining({
        ref: created.body.object_id,
        data: expect.objectContaining({ carrier: 'USPS' }),
      }),
    ]);
  });

  it('queues an async purchase until the next read', async () => {
    const { call, state } = setup();
    const created = await call('POST', '/shipments', SHIPMENT);
    const queued = await call('POST', '/transactions', {
      rate: created.body.rates[0].object_id,
      async: true,
    });
    expect(queued.body).toMatchObject({ status: 'QUEUED', tracking_number: '', label_url: '' });
    expect(state.effects.filter((e) => e.kind === 'label.purchased')).toHaveLength(0);
    const done = await call('GET', `/transactions/${queued.body.object_id}`);
    expect(done.body.status).toBe('SUCCESS');
    expect(done.body.label_url).toMatch(/\.pdf$/);
    expect(state.effects.filter((e) => e.kind === 'label.purchased')).toHaveLength(1);
  });

  it('tracks purchased labels and the SHIPPO_ test numbers', async () => {
    const { call } = setup();
    const delivered = await call('GET', '/tracks/shippo/SHIPPO_DELIVERED');
    expect(delivered.body.tracking_status.status).toBe('DELIVERED');
    expect(delivered.body.tracking_history.map((e: { status: string }) => e.status)).toEqual([
      'PRE_TRANSIT',
      'TRANSIT',
      'DELIVERED',
    ]);
    expect((await call('GET', '/tracks/shippo/SHIPPO_UNKNOWN')).body.tracking_status.status).toBe('UNKNOWN');

    const created = await call('POST', '/shipments', SHIPMENT);
    const rate = created.body.rates.find((r: { provider: string }) => r.provider === 'UPS');
    const bought = await call('POST', '/transactions', { rate: rate.object_id });
    const tracked = await call('GET', `/tracks/ups/${bought.body.tracking_number}`);
    expect(tracked.body).toMatchObject({
      carrier: 'ups',
      transaction: bought.body.object_id,
      tracking_status: { status: 'PRE_TRANSIT' },
      address_to: { city: 'San Francisco', zip: '94103' },
    });
  });

  it('answers in Shippo error shapes', async () => {
    const { call } = setup();
    const bad = await call('POST', '/shipments', {
      address_from: SHIPMENT.address_from,
      parcels: [{ weight: '2' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.address_to).toEqual(['This field is required.']);
    expect(bad.body.parcels[0]).toMatchObject({ mass_unit: ['This field is required.'] });
    const noRate = await call('POST', '/transactions', { rate: 'nope' });
    expect(noRate.body.rate[0]).toContain('does not exist');
    expect((await call('GET', '/shipments/nope')).body).toEqual({ detail: 'Not found.' });
    expect((await call('GET', '/orders/')).body).toEqual({ detail: 'Not found.' });
    const anonymous = await call('GET', '/shipments/nope', undefined, null);
    expect(anonymous).toEqual({
      status: 401,
      body: { detail: 'Authentication credentials were not provided.' },
    });
  });

  it('gives no USPS rate for a parcel over 70 lb', async () => {
    const { call } = setup();
    const heavy = await call('POST', '/shipments', {
      ...SHIPMENT,
      parcels: [
        { length: '20', width: '20', height: '20', distance_unit: 'in', weight: '40', mass_unit: 'kg' },
      ],
    });
    expect(heavy.body.rates.some((r: { provider: string }) => r.provider === 'USPS')).toBe(false);
    expect(heavy.body.messages).toEqual([expect.objectContaining({ source: 'USPS' })]);
  });
});
