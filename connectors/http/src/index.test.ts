import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector, { type RequestOutput } from './index';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const ops = () => ({ baseUrl: `${sandbox.url}/ops`, bearerToken: 'ops-token-1234' });

function call(input: unknown, options: { config?: unknown; idempotencyKey?: string } = {}) {
  return runAction<RequestOutput>(connector, 'request', {
    config: options.config ?? ops(),
    input,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  });
}

async function failure(input: unknown, config?: unknown) {
  return call(input, config === undefined ? {} : { config }).then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error as { code: string; retryable: boolean; retryAfterMs?: number; message: string },
  );
}

function fault(plan: unknown) {
  return fetch(`${sandbox.url}/_sandbox/faults/ops`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
}

describe('request against the ops sandbox', () => {
  it('reads JSON and returns status, headers and the parsed body', async () => {
    const { output } = await call({ path: '/backups/latest' });
    expect(output.status).toBe(200);
    expect(output.headers['content-type']).toContain('application/json');
    expect(output.body).toMatchObject({ id: expect.stringMatching(/^bkp-/), status: 'completed' });
  });

  it('sends the idempotency key on writes, so a retried order is placed once', async () => {
    const input = {
      method: 'POST',
      path: '/hardware/orders',
      json: { employeeId: '42', department: 'engineering' },
    };
    const first = await call(input, { idempotencyKey: 'run-7:hardware' });
    const retried = await call(input, { idempotencyKey: 'run-7:hardware' });
    expect(first.output).toMatchObject({
      status: 201,
      body: { id: 'HW-1001', model: 'MacBook Pro 16" M3 Pro, 36 GB' },
    });
    expect(retried.output.body).toEqual(first.output.body);
    expect(retried.output.headers['idempotent-replayed']).toBe('true');
    expect(sandbox.state.effects.filter((e) => e.kind === 'hardware.ordered')).toHaveLength(1);
    const posts = sandbox.state.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.idempotencyKey)).toEqual(['run-7:hardware', 'run-7:hardware']);
  });

  it('sends no idempotency key on GET, or when the header is disabled', async () => {
    await call({ path: '/traffic' });
    await call(
      { method: 'POST', path: '/alerts', json: { title: 'x' } },
      { config: { ...ops(), idempotencyHeader: null } },
    );
    expect(sandbox.state.requests.map((r) => r.idempotencyKey)).toEqual([undefined, undefined]);
  });

  it('returns an expected 4xx as output and throws an unexpected one, not retryable', async () => {
    const { output } = await call({ path: '/backups/nope', expectStatus: ['2xx', 404] });
    expect(output).toMatchObject({ status: 404, body: { error: { code: 'backup_not_found' } } });
    const error = await failure({
      method: 'POST',
      path: '/traffic/reroute',
      json: { from: 'eu-west', to: 'mars' },
    });
    expect(error).toMatchObject({ code: 'HTTP_422', retryable: false });
  });

  it('retries server errors and honours Retry-After', async () => {
    await fault({ statuses: [503] });
    expect(await failure({ path: '/traffic' })).toMatchObject({ code: 'HTTP_503', retryable: true });
    await fault({ rateLimit: { retryAfter: 4, count: 1 } });
    expect(await failure({ path: '/traffic' })).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 4000 });
    expect((await call({ path: '/traffic' })).output.status).toBe(200);
  });

  it('fails a success status the step did not expect', async () => {
    const error = await failure({
      method: 'POST',
      path: '/alerts',
      json: { title: 'x' },
      expectStatus: [200],
    });
    expect(error).toMatchObject({ code: 'UNEXPECTED_STATUS', retryable: false });
    expect(error.message).toContain('answered 201; expected 200');
  });
});

describe('request building', () => {
  it('sends auth, configured and step headers, query arrays and JSON', async () => {
    await using server = await createTestServer(() => ({ status: 200, body: 'done' }));
    const { output } = await call(
      {
        method: 'PUT',
        path: '/items/1',
        query: { tag: ['a', 'b'], page: 2 },
        headers: { 'x-trace': 't-1', 'IDEMPOTENCY-KEY': 'mine' },
        json: { name: 'Widget' },
      },
      { config: { baseUrl: `${server.url}/v1`, bearerToken: 'tok-123456', headers: { 'X-Team': 'ops' } } },
    );
    expect(output).toEqual({ status: 200, headers: expect.any(Object), body: 'done' });
    const received = server.requests[0]!;
    expect(received.path).toBe('/v1/items/1');
    expect(received.query).toMatchObject({ page: '2' });
    expect(received.headers).toMatchObject({
      authorization: 'Bearer tok-123456',
      'x-team': 'ops',
      'x-trace': 't-1',
      'idempotency-key': 'mine',
      'content-type': 'application/json',
    });
    expect(received.parsed).toEqual({ name: 'Widget' });
  });

  it('repeats array query keys', async () => {
    // The test server folds repeated keys, so read the raw request line here.
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await call(
        { path: '/search', query: { tag: ['a', 'b'], q: 'x y' } },
        { config: { baseUrl: `http://127.0.0.1:${port}` } },
      );
    } finally {
      server.close();
    }
    expect(seen).toEqual(['/search?tag=a&tag=b&q=x+y']);
  });

  it('sends form and raw bodies, and basic auth', async () => {
    await using server = await createTestServer(() => ({ status: 204 }));
    const config = { baseUrl: server.url, basicAuth: { username: 'svc', password: 'pw-secret-1' } };
    const form = await call({ method: 'POST', path: '/f', form: { a: 1, b: true } }, { config });
    expect(form.output).toMatchObject({ status: 204, body: null });
    await call(
      { method: 'POST', path: '/r', body: 'plain words', headers: { 'content-type': 'text/csv' } },
      { config },
    );
    expect(server.requests[0]).toMatchObject({ body: 'a=1&b=true', parsed: { a: '1', b: 'true' } });
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('svc:pw-secret-1').toString('base64')}`,
    );
    expect(server.requests[1]).toMatchObject({
      body: 'plain words',
      headers: { 'content-type': 'text/csv' },
    });
  });

  it('keeps cookies out of the output and reads mislabelled JSON as text', async () => {
    await using server = await createTestServer(() => ({
      headers: { 'set-cookie': 'session=abc', 'content-type': 'application/json' },
      body: 'not json',
    }));
    const { output } = await call({ url: `${server.url}/x` }, { config: {} });
    expect(output.headers['set-cookie']).toBeUndefined();
    expect(output.body).toBe('not json');
  });

  it('refuses to send credentials off the baseUrl origin', async () => {
    await using server = await createTestServer(() => ({ json: {} }));
    const error = await failure({ url: `${server.url}/steal` }, ops());
    expect(error).toMatchObject({ code: 'CREDENTIALS_OFF_ORIGIN', retryable: false });
    expect(server.requests).toEqual([]);
    const noCredentials = await call(
      { url: `${server.url}/fine` },
      { config: { baseUrl: `${sandbox.url}/ops` } },
    );
    expect(noCredentials.output.status).toBe(200);
  });

  it('explains a relative target without a baseUrl, and bad inputs', async () => {
    expect(await failure({ path: '/x' }, {})).toMatchObject({ code: 'BASE_URL_REQUIRED', retryable: false });
    expect(await failure({ path: '//evil.example/x' })).toMatchObject({ code: 'INPUT_INVALID' });
    expect(await failure({ path: '/x', url: 'https://a.example' })).toMatchObject({ code: 'INPUT_INVALID' });
    expect(await failure({ path: '/x', json: {}, body: 'x' })).toMatchObject({ code: 'INPUT_INVALID' });
    expect(await failure({ path: '/x', expectStatus: ['2yy'] })).toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('fails a response over the size limit without retrying', async () => {
    await using server = await createTestServer(() => ({ body: 'x'.repeat(5000) }));
    const error = await failure({ path: '/big' }, { baseUrl: server.url, maxResponseBytes: 1000 });
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: false });
  });

  it('times out per request', async () => {
    await using server = await createTestServer(() => ({ delayMs: 2000, json: {} }));
    const error = await failure({ path: '/slow', timeout: '100ms' }, { baseUrl: server.url });
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });
});

describe('http connector', () => {
  it('keeps secret-looking configured headers out of errors', async () => {
    await using server = await createTestServer((req) => ({ status: 500, json: { echo: req.headers } }));
    const error = await failure(
      { path: '/x' },
      { baseUrl: server.url, headers: { 'X-Vault-Auth': 'vault-secret-999' } },
    );
    expect(JSON.stringify(error) + error.message).not.toContain('vault-secret-999');
  });

  it('passes the conformance suite', async () => {
    const report = await checkConformance(connector, {
      config: (baseUrl, secret) => ({
        baseUrl,
        bearerToken: secret,
        headers: { 'X-Api-Key': secret },
        checkPath: '/me',
      }),
      inputs: { request: { method: 'POST', path: '/things', json: { a: 1 } } },
    });
    expect(report.problems).toEqual([]);
  });
});
