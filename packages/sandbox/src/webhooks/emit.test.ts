import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { systems } from '../systems/index';

// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;
type Verifier = (
  body: string,
  headers: IncomingHttpHeaders,
) => Promise<{ id: string; type: string } | undefined>;

const stripe = new Stripe('sk_test_sandbox_signing_only');
const secrets = {
  standard: `whsec_${randomBytes(24).toString('base64')}`,
  stripe: `whsec_${randomBytes(16).toString('hex')}`,
  github: 'gh-secret',
  shopify: 'shpss_secret',
  alerts: 'alertmanager-secret',
};

/** A gateway stand-in: verifies with the official library for the source, like Baton's gateway must. */
const verifiers: Record<string, Verifier> = {
  shop: async (body, headers) => {
    const event = new Webhook(secrets.standard).verify(body, headers as Record<string, string>) as Json;
    return { id: String(headers['webhook-id']), type: event.type };
  },
  stripe: async (body, headers) => {
    const event = stripe.webhooks.constructEvent(body, String(headers['stripe-signature']), secrets.stripe);
    return { id: event.id, type: event.type };
  },
  github: async (body, headers) =>
    (await verifyGithub(secrets.github, body, String(headers['x-hub-signature-256'])))
      ? { id: String(headers['x-github-delivery']), type: String(headers['x-github-event']) }
      : undefined,
  alerts: async (body, headers) => {
    const expected = createHmac('sha256', secrets.alerts).update(body).digest();
    const given = Buffer.from(String(headers['x-signature']), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? { id: String(headers['x-alert-id']), type: String(headers['x-alert-type']) }
      : undefined;
  },
  store: async (body, headers) => {
    const expected = createHmac('sha256', secrets.shopify).update(body).digest();
    const given = Buffer.from(String(headers['x-shopify-hmac-sha256']), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? { id: String(headers['x-shopify-webhook-id']), type: String(headers['x-shopify-topic']) }
      : undefined;
  },
};

interface Received {
  source: string;
  body: Json;
  headers: IncomingHttpHeaders;
}

let receiver: Server | undefined;

async function startReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const source = (req.url ?? '').replace('/webhooks/', '');
    const verified = await verifiers[source]?.(body, req.headers).catch(() => undefined);
    res.setHeader('content-type', 'application/json');
    if (!verified) {
      res
        .writeHead(401)
        .end(JSON.stringify({ error: { code: 'SIGNATURE_INVALID', message: 'bad signature' } }));
      return;
    }
    received.push({ source, body: JSON.parse(body) as Json, headers: req.headers });
    res.writeHead(202).end(JSON.stringify({ eventId: verified.id, type: verified.type, runs: [] }));
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, received };
}

afterEach(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve) ?? resolve(undefined));
  receiver = undefined;
});

async function emit(body: unknown) {
  const { app, state } = createSandboxApp({ systems });
  const res = await app.request('/_sandbox/webhooks/emit', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json, state };
}

describe('POST /_sandbox/webhooks/emit', () => {
  it('sends employee.hired from the BambooHR seed, signed with Standard Webhooks', async () => {
    const gateway = await startReceiver();
    const res = await emit({
      to: `${gateway.url}/webhooks/shop`,
      scheme: 'standard-webhooks',
      secret: secrets.standard,
      event: 'employee.hired',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 202,
      type: 'employee.hired',
      body: { eventId: res.body.id, runs: [] },
    });
    expect(gateway.received[0]?.body).toMatchObject({
      type: 'employee.hired',
      data: { employeeId: '105', workEmail: 'priya.raman@acme.example', department: 'Engineering' },
    });
    expect(res.state.effects).toEqual([
      expect.objectContaining({ system: 'webhooks', kind: 'webhook.sent', ref: res.body.id }),
    ]);
  });

  it('sends order.created with a total that follows the SKU and quantity', async () => {
    const gateway = await startReceiver();
    const res = await emit({
      to: `${gateway.url}/webhooks/shop`,
      scheme: 'standard-webhooks',
      secret: secrets.standard,
      event: 'order.created',
      data: { sku: 'HOODIE-GRY-L', qty: 5 },
    });
    expect(res.body.status).toBe(202);
    const data = gateway.received[0]?.body.data;
    expect(data).toMatchObject({
      sku: 'HOODIE-GRY-L',
      qty: 5,
      total: 32_500,
      currency: 'usd',
      items: [{ sku: 'HOODIE-GRY-L', qty: 5, unitPrice: 6500 }],
      customer: { email: 'jane.doe@example.com' },
    });
  });

  it('sends payment.failed as a Stripe event that constructEvent accepts', async () => {
    const gateway = await startReceiver();
    const res = await emit({
      to: `${gateway.url}/webhooks/stripe`,
      scheme: 'stripe',
      secret: secrets.stripe,
      event: 'payment.failed',
      type: 'payment_intent.payment_failed',
    });
    expect(res.body).toMatchObject({ status: 202, body: { type: 'payment_intent.payment_failed' } });
    expect(res.body.id).toMatch(/^evt_/);
    expect(gateway.received[0]?.body).toMatchObject({
      object: 'event',
      data: { object: { object: 'payment_intent', last_payment_error: { code: 'card_declined' } } },
    });
  });

  it('signs GitHub and Shopify deliveries with their headers, and keeps a given id', async () => {
    const gateway = await startReceiver();
    const github = await emit({
      to: `${gateway.url}/webhooks/github`,
      scheme: 'github',
      secret: secrets.github,
      event: 'push',
      id: 'delivery-42',
      data: { ref: 'refs/heads/main' },
    });
    expect(github.body).toMatchObject({
      status: 202,
      id: 'delivery-42',
      body: { eventId: 'delivery-42', type: 'push' },
    });
    const shopify = await emit({
      to: `${gateway.url}/webhooks/store`,
      scheme: 'shopify',
      secret: secrets.shopify,
      event: 'order.created',
      type: 'orders/create',
    });
    expect(shopify.body).toMatchObject({ status: 202, body: { type: 'orders/create' } });
    expect(gateway.received.map((r) => r.source)).toEqual(['github', 'store']);
    expect(gateway.received[1]?.body).toMatchObject({ sku: 'TSHIRT-BLK-M', qty: 2 });
  });

  it('sends user.password_reset_requested for a seeded SCIM user', async () => {
    const gateway = await startReceiver();
    const res = await emit({
      to: `${gateway.url}/webhooks/shop`,
      scheme: 'standard-webhooks',
      secret: secrets.standard,
      event: 'user.password_reset_requested',
    });
    expect(res.body).toMatchObject({ status: 202, type: 'user.password_reset_requested' });
    const data = gateway.received[0]?.body.data;
    expect(data).toMatchObject({
      userId: '2c5d8a40-1f6e-4b7a-8c3d-000000000103',
      email: 'lena.fischer@acme.example',
      ip: '203.0.113.42',
    });
    expect(Date.now() - Date.parse(data.requestedAt)).toBeLessThan(60_000);
  });

  it('sends traffic.surge as the bare Alertmanager payload when envelope is false', async () => {
    const gateway = await startReceiver();
    const res = await emit({
      to: `${gateway.url}/webhooks/alerts`,
      scheme: 'hmac-sha256',
      secret: secrets.alerts,
      event: 'traffic.surge',
      envelope: false,
      idHeader: 'X-Alert-Id',
      typeHeader: 'X-Alert-Type',
      data: { load: 97, region: 'us-east' },
    });
    expect(res.body).toMatchObject({ status: 202, body: { type: 'traffic.surge', eventId: res.body.id } });
    const payload = gateway.received[0]?.body;
    expect(payload).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'baton',
      groupLabels: { alertname: 'HighTrafficLoad', region: 'us-east' },
      commonLabels: { alertname: 'HighTrafficLoad', region: 'us-east', severity: 'critical', load: '97' },
      commonAnnotations: { load: '97%' },
      externalURL: expect.stringMatching(/^http/),
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'HighTrafficLoad',
            instance: expect.any(String),
            severity: 'critical',
            load: '97',
          },
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: expect.stringContaining('g0.expr='),
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
          values: { load: 97 },
        },
      ],
    });
    expect(payload).not.toHaveProperty('load');
    expect(payload).not.toHaveProperty('data');
    const calm = await emit({
      to: `${gateway.url}/webhooks/alerts`,
      scheme: 'hmac-sha256',
      secret: secrets.alerts,
      event: 'traffic.surge',
      envelope: false,
      data: { load: 85, status: 'resolved' },
    });
    expect(calm.body.status).toBe(202);
    expect(calm.body.sent.body).toMatchObject({
      status: 'resolved',
      commonLabels: { severity: 'warning', region: 'eu-west' },
      alerts: [{ status: 'resolved', endsAt: expect.not.stringMatching(/^0001/) }],
    });
  });

  it("passes the gateway's refusal through when the secret is wrong", async () => {
    const gateway = await startReceiver();
    const res = await emit({
      to: `${gateway.url}/webhooks/github`,
      scheme: 'github',
      secret: 'wrong',
      event: 'push',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } });
  });

  it('answers 400 for a bad request and 502 when nothing listens', async () => {
    const bad = await emit({ to: 'ftp://example.com', scheme: 'stripe', secret: 's', event: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/http\(s\) URL/);
    const unknownScheme = await emit({ to: 'http://127.0.0.1:1/x', scheme: 'svix', secret: 's', event: 'x' });
    expect(unknownScheme.status).toBe(400);
    const down = await emit({
      to: 'http://127.0.0.1:1/webhooks/x',
      scheme: 'github',
      secret: 's',
      event: 'x',
    });
    expect(down.status).toBe(502);
    expect(down.body.error.message).toMatch(/could not deliver to http:\/\/127\.0\.0\.1:1\/webhooks\/x/);
  });
});
