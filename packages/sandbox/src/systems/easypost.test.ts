import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { easypostSystem } from './easypost';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely, field by field, in assertions
type Json = Record<string, any>;

const AUTH = `Basic ${Buffer.from('EZTK_sandbox:').toString('base64')}`;

const SHIPMENT = {
  to_address: {
    name: 'Dr. Steve Brule',
    street1: '179 N Harbor Dr',
    city: 'Redondo Beach',
    state: 'CA',
    zip: '90277',
    country: 'US',
  },
  from_address: {
    name: 'EasyPost',
    street1: '417 Montgomery Street',
    city: 'San Francisco',
    state: 'CA',
    zip: '94104',
    country: 'US',
  },
  parcel: { length: 20.2, width: 10.9, height: 5, weight: 65.9 },
};

function setup() {
  const { app, state } = createSandboxApp({ systems: [easypostSystem] });
  const call = async (method: string, path: string, body?: unknown, auth: string | null = AUTH) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) headers.authorization = auth;
    const response = await app.request(`/easypost${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      body: (type.includes('json') ? await response.json() : await response.text()) as Json,
    };
  };
  return { call, state, app };
}

describe('easypost sandbox', () => {
  it('creates a shipment rated by USPS and UPS', async () => {
    const { call, state } = setup();
    const created = await call('POST', '/v2/shipments', { shipment: { ...SHIPMENT, reference: 'order-1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'Shipment', reference: 'order-1', postage_label: null });
    expect(created.body.id).toMatch(/^shp_[0-9a-f]{32}$/);
    const carriers = new Set(created.body.rates.map((rate: { carrier: string }) => rate.carrier));
    expect(carriers).toEqual(new Set(['USPS', 'UPS']));
    expect(created.body.rates[0]).toMatchObject({
      object: 'Rate',
      currency: 'USD',
      shipment_id: created.body.id,
    });
    expect(Number(created.body.rates[0].rate)).toBeGreaterThan(0);
    expect(state.effects.filter((e) => e.kind === 'shipment.created')).toHaveLength(1);
    expect((await call('GET', `/v2/shipments/${created.body.id}`)).body.id).toBe(created.body.id);
  });

  it('gives no USPS rate for a parcel over 70 lb, with a rate_error message', async () => {
    const { call } = setup();
    const heavy = await call('POST', '/v2/shipments', {
      shipment: { ...SHIPMENT, parcel: { weight: 80 * 16 } },
    });
    expect(heavy.body.rates.every((rate: { carrier: string }) => rate.carrier === 'UPS')).toBe(true);
    expect(heavy.body.messages).toEqual([expect.objectContaining({ carrier: 'USPS', type: 'rate_error' })]);
  });

  it('buys a rate once: label, tracking code, tracker; a second buy is SHIPMENT.POSTAGE.EXISTS', async () => {
    const { call, state, app } = setup();
    const created = await call('POST', '/v2/shipments', { shipment: SHIPMENT });
    const rate = created.body.rates.find((r: { service: string }) => r.service === 'Priority');
    const bought = await call('POST', `/v2/shipments/${created.body.id}/buy`, { rate: { id: rate.id } });
    expect(bought.status).toBe(200);
    expect(bought.body.selected_rate).toMatchObject({ id: rate.id, carrier: 'USPS', service: 'Priority' });
    expect(bought.body.tracking_code).toMatch(/^9400\d{18}$/);
    expect(bought.body.tracker).toMatchObject({
      status: 'pre_transit',
      tracking_code: bought.body.tracking_code,
    });
    expect(bought.body.postage_label.label_url).toMatch(
      /\/easypost\/files\/postage_label\/pl_[0-9a-f]+\.pdf$/,
    );

    const again = await call('POST', `/v2/shipments/${created.body.id}/buy`, { rate: { id: rate.id } });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('SHIPMENT.POSTAGE.EXISTS');
    expect(state.effects.filter((e) => e.kind === 'label.purchased')).toHaveLength(1);

    const label = await app.request(new URL(bought.body.postage_label.label_url).pathname);
    expect(label.headers.get('content-type')).toBe('application/pdf');
    const pdf = await label.text();
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain(bought.body.tracking_code);
  });

  it('tracks purchased labels and the EZ test codes', async () => {
    const { call } = setup();
    const delivered = await call('POST', '/v2/trackers', {
      tracker: { tracking_code: 'EZ4000000004', carrier: 'USPS' },
    });
    expect(delivered.status).toBe(201);
    expect(delivered.body).toMatchObject({ object: 'Tracker', status: 'delivered' });
    expect(delivered.body.tracking_details.map((d: { status: string }) => d.status)).toEqual([
      'pre_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    const same = await call('POST', '/v2/trackers', {
      tracker: { tracking_code: 'EZ4000000004', carrier: 'USPS' },
    });
    expect(same.body.id).toBe(delivered.body.id);
    const returned = await call('POST', '/v2/trackers', { tracker: { tracking_code: 'EZ5000000005' } });
    expect(returned.body.status).toBe('return_to_sender');

    const created = await call('POST', '/v2/shipments', { shipment: SHIPMENT });
    const bought = await call('POST', `/v2/shipments/${created.body.id}/buy`, {
      rate: { id: created.body.rates[0].id },
    });
    const tracked = await call('POST', '/v2/trackers', {
      tracker: { tracking_code: bought.body.tracking_code, carrier: bought.body.selected_rate.carrier },
    });
    expect(tracked.body).toMatchObject({
      id: bought.body.tracker.id,
      status: 'pre_transit',
      shipment_id: created.body.id,
    });
  });

  it('answers in EasyPost error shapes', async () => {
    const { call } = setup();
    const blank = await call('POST', '/v2/shipments', {});
    expect(blank.status).toBe(422);
    expect(blank.body.error).toEqual({
      code: 'PARAMETER.REQUIRED',
      message: 'Missing required parameter.',
      errors: [{ field: 'shipment', message: 'cannot be blank' }],
    });
    const noWeight = await call('POST', '/v2/shipments', {
      shipment: { ...SHIPMENT, parcel: { length: 1 } },
    });
    expect(noWeight.body.error.errors).toEqual([
      { field: 'shipment.parcel.weight', message: 'cannot be blank' },
    ]);
    const missing = await call('GET', '/v2/shipments/shp_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await call('GET', '/v2/addresses')).body.error.code).toBe('NOT_FOUND');
    const anonymous = await call('GET', '/v2/shipments/shp_nope', undefined, null);
    expect(anonymous.status).toBe(401);
  });
});
