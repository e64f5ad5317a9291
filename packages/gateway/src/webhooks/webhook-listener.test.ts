import { createHmac, randomUUID } from 'node:crypto';
import { createEmbeddedBackend, loadHub } from '@baton/runtime';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../gateway';
import { fixtureConfigPath, fixtureEnv, SECRETS } from '../test-support/gateway-fixture';
import { rawPost } from '../test-support/raw-post';
import { orderBody, signers } from '../test-support/signers';

interface Sent {
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** What a sender sees of an answer, with the ids that differ between two deliveries made alike. */
async function seen(res: Response) {
  const text = (await res.text())
    .replace(/run_[0-9a-z]+/g, 'run_*')
    .replace(/msg_[0-9a-f-]+/g, 'msg_*')
    .replace(/"eventId":"[0-9a-f]{64}"/g, '"eventId":"<body hash>"')
    .replace(/"remaining":\d+/g, '"remaining":0');
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    location: res.headers.get('location')?.replace(/run_[0-9a-z]+/, 'run_*') ?? null,
    body: text,
  };
}

/**
 * `baton serve` answers webhooks before Hono (webhook-listener.ts): every
 * kind of delivery gets the same answer there as from the Hono route
 * (`app.request`, what the other webhook tests drive).
 */
describe('the webhook listener in front of Hono', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    const hub = await loadHub({ configPath: fixtureConfigPath, env: fixtureEnv });
    gateway = await startGateway({
      hub,
      backend: createEmbeddedBackend(),
      port: 0,
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(() => gateway.close({ drainMs: 1000 }));

  const viaHono = (sent: Sent) =>
    gateway.app.request(sent.path, {
      method: sent.method ?? 'POST',
      ...(sent.body === undefined ? {} : { body: sent.body }),
      headers: sent.headers ?? {},
    });
  const viaListener = (sent: Sent) =>
    fetch(`${gateway.url}${sent.path}`, {
      method: sent.method ?? 'POST',
      ...(sent.body === undefined ? {} : { body: sent.body }),
      headers: sent.headers ?? {},
    });

  /** A fresh delivery of each kind: each path gets its own, as two senders would send them. */
  const deliveries: Record<string, () => Sent> = {
    accepted: () => {
      const body = orderBody();
      return { path: '/webhooks/shop', body, headers: signers.standard(body) };
    },
    'a query string': () => {
      const body = orderBody();
      return { path: '/webhooks/shop?attempt=2', body, headers: signers.standard(body) };
    },
    'a sync flow': () => {
      // The legacy scheme takes the body's hash for the event id: each sender its own body.
      const body = JSON.stringify({ type: 'quote.requested', sku: 'Q-1', nonce: randomUUID() });
      return { path: '/webhooks/legacy', body, headers: signers.legacy(body) };
    },
    'a wrong signature': () => {
      const body = orderBody();
      return { path: '/webhooks/shop', body, headers: signers.standard(`${body} `) };
    },
    'no signature': () => ({
      path: '/webhooks/shop',
      body: orderBody(),
      headers: { 'content-type': 'application/json' },
    }),
    'an unknown source': () => ({ path: '/webhooks/nobody', body: '{}', headers: {} }),
    'a body over the source limit': () => {
      const body = JSON.stringify({ type: 'x', padding: 'p'.repeat(100) });
      const signature = createHmac('sha256', SECRETS.limited).update(body).digest('base64');
      return { path: '/webhooks/limited', body, headers: { 'x-signature': signature } };
    },
    'an unsupported content type': () => {
      const body = 'type=quote.requested';
      return {
        path: '/webhooks/legacy',
        body,
        headers: { ...signers.legacy(body), 'content-type': 'text/plain' },
      };
    },
    'a body that is not JSON': () => {
      const body = '{"type":';
      return { path: '/webhooks/legacy', body, headers: signers.legacy(body) };
    },
    'a GET (not a webhook)': () => ({ path: '/webhooks/shop', method: 'GET' }),
    'a path below a source': () => {
      const body = orderBody();
      return { path: '/webhooks/shop/more', body, headers: signers.standard(body) };
    },
  };

  for (const [kind, delivery] of Object.entries(deliveries)) {
    it(`answers ${kind} as the Hono route does`, async () => {
      const [hono, listener] = await Promise.all([viaHono(delivery()), viaListener(delivery())]);
      expect(await seen(listener)).toEqual(await seen(hono));
    });
  }

  it('answers a duplicate as the Hono route does, whichever path saw the first copy', async () => {
    const body = orderBody();
    const headers = signers.standard(body, { id: `msg_${randomUUID()}` });
    const first = await viaListener({ path: '/webhooks/shop', body, headers });
    expect(first.status).toBe(202);
    const firstBody = await first.text();
    for (const again of [viaHono, viaListener]) {
      const res = await again({ path: '/webhooks/shop', body, headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ...JSON.parse(firstBody), duplicate: true });
    }
  });

  it('refuses a body declared over the limit before reading it, and ends that connection', async () => {
    // The first bytes of a body that would be 16 MiB: the answer comes before the rest.
    const { status, headers, body } = await rawPost(
      `${gateway.url}/webhooks/shop`,
      { 'content-type': 'application/json', 'content-length': 2 ** 24 },
      { opening: '{"type":"order.created","padding":"' },
    );
    const answer = { status, connection: headers.connection, body };
    expect(answer).toEqual({
      status: 413,
      connection: 'close',
      body: JSON.stringify({
        error: { code: 'BODY_TOO_LARGE', message: 'the body is larger than 1048576 bytes' },
      }),
    });
  });
});
