import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { loopbackServer } from '../test-support/loopback-server';
import { orderBody, signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
type Server = Awaited<ReturnType<typeof loopbackServer>>;
const TOKEN = 'admin-token-0123456789';

const code = (body: string) => (JSON.parse(body) as { error?: { code: string } }).error?.code;

async function runCount(gw: Fixture): Promise<number> {
  return (await gw.engine.listRuns({ limit: 500 })).runs.length;
}

describe('without BATON_API_TOKEN: loopback Host only, no state change from another origin', () => {
  let gw: Fixture;
  let server: Server;
  let own: string;
  beforeEach(async () => {
    gw = await gatewayFixture({ worker: false });
    server = await loopbackServer(gw.app);
    own = `127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await server.close();
    await gw.close();
  });

  it('refuses a Host that is not loopback (DNS rebinding) on the API, its event stream, the dashboard and /metrics', async () => {
    for (const host of ['attacker.example', `attacker.example:${server.port}`, '0.0.0.0', '192.168.1.20']) {
      for (const path of [
        '/api/runs',
        '/api/events',
        '/api/openapi.json',
        '/dashboard',
        '/dashboard/runs',
        '/metrics',
      ]) {
        const answer = await server.send('GET', path, { headers: { host } });
        expect([host, path, answer.status]).toEqual([host, path, 403]);
        expect(code(answer.body)).toBe('HOST_NOT_ALLOWED');
        expect(answer.body).not.toContain('"runs"');
      }
    }
    const trigger = await server.send('POST', '/api/flows/order/trigger', {
      headers: { host: 'attacker.example', 'content-type': 'application/json' },
      body: '{"data":{}}',
    });
    expect(trigger.status).toBe(403);
    expect(await runCount(gw)).toBe(0);
  });

  it('answers loopback names and addresses, with ports and IPv6', async () => {
    for (const host of [
      own,
      `localhost:${server.port}`,
      'localhost',
      `dash.localhost:${server.port}`,
      '127.0.0.2',
      `[::1]:${server.port}`,
      '[::1]',
    ]) {
      const answer = await server.send('GET', '/api/runs', { headers: { host } });
      expect([host, answer.status]).toEqual([host, 200]);
      expect(JSON.parse(answer.body)).toEqual({ runs: [], next: null });
    }
    expect((await server.send('GET', '/dashboard/runs', { headers: { host: own } })).status).toBe(200);
  });

  it('leaves webhooks and the health probes to any Host: webhooks are signed and may come through a tunnel', async () => {
    const body = orderBody();
    const webhook = await server.send('POST', '/webhooks/shop', {
      headers: { ...signers.standard(body), host: 'tunnel.example' },
      body,
    });
    expect(webhook.status).toBe(202);
    expect((await server.send('GET', '/healthz', { headers: { host: 'tunnel.example' } })).status).toBe(200);
  });

  it('refuses a state-changing request from a page of another origin before anything runs', async () => {
    const failed = await gw.engine.trigger('order', { data: { sku: 'missing', qty: 1 } });
    const before = await runCount(gw);
    const foreign: Record<string, string>[] = [
      // A form post, or fetch(…, { mode: 'no-cors' }): no preflight, so the server must refuse it itself.
      { origin: 'http://attacker.example', 'content-type': 'text/plain;charset=UTF-8' },
      { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      { origin: 'null', 'content-type': 'text/plain' },
      // Same host, another port: another origin (another app on this machine).
      { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' },
      { origin: `http://localhost:${server.port}`, 'content-type': 'application/json' },
      { origin: `https://${own}`, 'content-type': 'application/json' },
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
    ];
    for (const headers of foreign) {
      for (const path of [
        '/api/flows/order/trigger',
        `/api/runs/${failed.runId}/replay`,
        `/api/runs/${failed.runId}/cancel`,
      ]) {
        const answer = await server.send('POST', path, {
          headers: { host: own, ...headers },
          body: '{"data":{}}',
        });
        expect([headers, path, answer.status]).toEqual([headers, path, 403]);
        expect(code(answer.body)).toBe('ORIGIN_NOT_ALLOWED');
      }
    }
    expect(await runCount(gw)).toBe(before);
    expect((await gw.engine.getRun(failed.runId))?.status).toBe('queued');
  });

  it('lets the dashboard (same origin) and programs without an Origin (curl, the CLI) act', async () => {
    for (const headers of [
      { origin: `http://${own}`, 'sec-fetch-site': 'same-origin' },
      { origin: `http://${own}/` },
      { 'sec-fetch-site': 'none' },
      {},
    ]) {
      const answer = await server.send('POST', '/api/flows/order/trigger', {
        headers: { host: own, 'content-type': 'application/json', ...headers },
        body: '{"data":{"sku":"A","qty":1}}',
      });
      expect([headers, answer.status]).toEqual([headers, 202]);
    }
    expect(await runCount(gw)).toBe(4);
    // Reading from another origin is left to the browser: without CORS headers the page cannot see the answer.
    const read = await server.send('GET', '/api/runs', {
      headers: { host: own, origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('with BATON_API_TOKEN: the token rules alone', () => {
  let gw: Fixture;
  let server: Server;
  beforeEach(async () => {
    gw = await gatewayFixture({ apiToken: TOKEN, worker: false });
    server = await loopbackServer(gw.app);
  });
  afterEach(async () => {
    await server.close();
    await gw.close();
  });

  it('answers any Host and any Origin that carries the token, and nothing without it', async () => {
    const headers = {
      host: 'baton.internal.example',
      origin: 'https://ops.example',
      'content-type': 'application/json',
    };
    const read = await server.send('GET', '/api/runs', {
      headers: { ...headers, authorization: `Bearer ${TOKEN}` },
    });
    expect(read.status).toBe(200);
    const trigger = await server.send('POST', '/api/flows/order/trigger', {
      headers: { ...headers, authorization: `Bearer ${TOKEN}` },
      body: '{"data":{}}',
    });
    expect(trigger.status).toBe(202);
    for (const [method, path] of [
      ['GET', '/api/runs'],
      ['POST', '/api/flows/order/trigger'],
    ] as const) {
      const refused = await server.send(method, path, {
        headers,
        ...(method === 'POST' ? { body: '{"data":{}}' } : {}),
      });
      expect(refused.status).toBe(401);
      expect(code(refused.body)).toBe('UNAUTHORIZED');
    }
    expect(await runCount(gw)).toBe(1);
    expect(
      (await server.send('GET', '/dashboard/runs', { headers: { host: 'baton.internal.example' } })).status,
    ).toBe(200);
  });
});
