import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../server';
import { pause, type ReceivedRequest, startReceiver, waitUntil } from '../webhooks/_test-receiver';
import type { WebhookEndpointOptions } from '../webhooks/endpoint';
import { easypostSystem } from './easypost';

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, field by field, in assertions
type Json = Record<string, any>;

const AUTH = `Basic ${Buffer.from('EZTK_sandbox:').toString('base64')}`;
// "ﬁ" is one ligature character whose NFKD form is "fi": EasyPost keys the HMAC with that form.
const SECRET = 'ﬁrst-webhook-secret';

const SHIPMENT = {
  to_address: {
    name: 'Ada Lovelace',
    street1: '179 N Harbor Dr',
    city: 'Redondo Beach',
    state: 'CA',
    zip: '90277',
  },
  from_address: {
    name: 'Acme',
    street1: '417 Montgomery Street',
    city: 'San Francisco',
    state: 'CA',
    zip: '94104',
  },
  parcel: { weight: 32 },
};

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver, and a sandbox started with the EasyPost endpoint `endpoint` gives for the receiver's URL. */
async function setup(endpoint?: (url: string) => WebhookEndpointOptions) {
  const gateway = await startReceiver();
  cleanups.push(gateway.close);
  const running = await startSandbox({
    port: 0,
    systems: [easypostSystem],
    ...(endpoint ? { webhooks: { easypost: endpoint(`${gateway.url}/webhooks/easypost`) } } : {}),
  });
  cleanups.push(running.close);
  return { gateway, running };
}

async function call(running: RunningSandbox, method: string, path: string, body?: unknown) {
  const res = await fetch(`${running.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: AUTH },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** A shipment with a label bought: what a flow's buy-label step leaves behind. */
async function labelled(running: RunningSandbox) {
  const created = await call(running, 'POST', '/easypost/v2/shipments', { shipment: SHIPMENT });
  const bought = await call(running, 'POST', `/easypost/v2/shipments/${created.body.id}/buy`, {
    rate: { id: created.body.rates[0].id },
  });
  expect(bought.body.tracker.status).toBe('pre_transit');
  return bought.body;
}

/** EasyPost's check, as its client libraries' validateWebhook does it. */
function verifyEasyPost(request: ReceivedRequest, secret: string): Json {
  const expected = `hmac-sha256-hex=${createHmac('sha256', secret.normalize('NFKD')).update(request.body).digest('hex')}`;
  const given = String(request.headers['x-hmac-signature']);
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    throw new Error('EasyPost signature mismatch');
  }
  return JSON.parse(request.body) as Json;
}

describe('easypost sandbox: delivery webhooks', () => {
  it('delivers a parcel delayMs after its label was bought and sends tracker.updated, signed as EasyPost signs', async () => {
    const { gateway, running } = await setup();
    await call(running, 'PUT', '/_sandbox/webhooks/easypost', {
      url: `${gateway.url}/webhooks/easypost`,
      secret: SECRET,
      delayMs: 250,
      headers: { 'X-EasyPost-Event': 'tracker.updated' },
    });
    const boughtAt = Date.now();
    const shipment = await labelled(running);
    const [request] = await gateway.waitFor(1);
    expect(request!.at - boughtAt).toBeGreaterThanOrEqual(230);
    expect(request!.headers['x-easypost-event']).toBe('tracker.updated');
    const event = verifyEasyPost(request!, SECRET);
    expect(() => verifyEasyPost(request!, 'another-secret')).toThrow(/mismatch/);
    expect(event).toMatchObject({
      object: 'Event',
      description: 'tracker.updated',
      mode: 'test',
      previous_attributes: { status: 'pre_transit' },
      result: {
        object: 'Tracker',
        id: shipment.tracker.id,
        shipment_id: shipment.id,
        tracking_code: shipment.tracking_code,
        status: 'delivered',
        status_detail: 'arrived_at_destination',
      },
    });
    expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(event.result.tracking_details.map((d: Json) => d.status)).toEqual([
      'pre_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);

    const tracker = await call(running, 'GET', `/easypost/v2/trackers/${shipment.tracker.id}`);
    expect(tracker.body).toMatchObject({
      status: 'delivered',
      signed_by: expect.any(String),
      est_delivery_date: null,
    });
    expect((await call(running, 'GET', `/easypost/v2/shipments/${shipment.id}`)).body.status).toBe(
      'delivered',
    );
    expect(running.state.effects.filter((e) => e.kind === 'shipment.delivered')).toEqual([
      expect.objectContaining({ system: 'easypost', ref: shipment.id }),
    ]);
  });

  it('delivers now through the control API, once, and sends the webhook at once', async () => {
    // A day in transit: only the control call delivers within the test.
    const { gateway, running } = await setup((url) => ({ url, secret: SECRET, delayMs: 86_400_000 }));
    const shipment = await labelled(running);
    const startedAt = Date.now();
    const now = await call(running, 'POST', `/_sandbox/easypost/shipments/${shipment.id}/deliver`);
    expect(now).toMatchObject({
      status: 200,
      body: {
        delivered: true,
        shipment: { id: shipment.id, status: 'delivered', tracker: { status: 'delivered' } },
      },
    });
    const [request] = await gateway.waitFor(1);
    expect(request!.at - startedAt).toBeLessThan(2_000);
    expect(verifyEasyPost(request!, SECRET).result.tracking_code).toBe(shipment.tracking_code);

    const again = await call(running, 'POST', `/_sandbox/easypost/shipments/${shipment.id}/deliver`);
    expect(again).toMatchObject({ status: 200, body: { delivered: false } });
    await pause(100);
    expect(gateway.received).toHaveLength(1);
    await waitUntil(() => running.state.webhooks.deliveries[0]?.status === 'delivered');
    const log = await call(running, 'GET', '/_sandbox/webhooks/deliveries?system=easypost');
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({ type: 'tracker.updated', status: 'delivered' }),
    ]);
  });

  it('refuses unknown shipments and ones without a label; without an endpoint parcels wait for the control call', async () => {
    const { gateway, running } = await setup();
    const missing = await call(running, 'POST', '/_sandbox/easypost/shipments/shp_nope/deliver');
    expect(missing.status).toBe(404);
    const created = await call(running, 'POST', '/easypost/v2/shipments', { shipment: SHIPMENT });
    const early = await call(running, 'POST', `/_sandbox/easypost/shipments/${created.body.id}/deliver`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('buy one first');

    const shipment = await labelled(running);
    await pause(100);
    expect((await call(running, 'GET', `/easypost/v2/trackers/${shipment.tracker.id}`)).body.status).toBe(
      'pre_transit',
    );
    const now = await call(running, 'POST', `/_sandbox/easypost/shipments/${shipment.id}/deliver`);
    expect(now.body.delivered).toBe(true);
    expect(gateway.received).toHaveLength(0);
    expect(running.state.webhooks.deliveries).toEqual([]);
  });

  it('delivers but withholds the event in mode never', async () => {
    const { gateway, running } = await setup((url) => ({ url, secret: SECRET, mode: 'never' }));
    const shipment = await labelled(running);
    await waitUntil(() => running.state.effects.some((e) => e.kind === 'shipment.delivered'));
    expect((await call(running, 'GET', `/easypost/v2/trackers/${shipment.tracker.id}`)).body.status).toBe(
      'delivered',
    );
    expect(running.state.webhooks.deliveries).toEqual([
      expect.objectContaining({ type: 'tracker.updated', status: 'withheld' }),
    ]);
    await pause(100);
    expect(gateway.received).toHaveLength(0);
  });
});
