import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { loopbackServer } from '../test-support/loopback-server';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;

/** pino's level of `error` lines: bad input must never produce one. */
const ERROR_LEVEL = 50;

const errorLines = (gw: Fixture) =>
  gw.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= ERROR_LEVEL);

async function runCount(gw: Fixture): Promise<number> {
  return (await gw.engine.listRuns({ limit: 500 })).runs.length;
}

describe('admin API: bad input is a 4xx that says what is wrong', () => {
  let gw: Fixture;
  beforeEach(async () => {
    gw = await gatewayFixture({ worker: false });
  });
  afterEach(async () => gw.close());

  const trigger = (headers: Record<string, string>, body?: RequestInit['body']) =>
    gw.app.request('/api/flows/order/trigger', {
      method: 'POST',
      headers,
      ...(body !== undefined ? { body } : {}),
    });

  it('answers 415 for a body that is not JSON by its Content-Type, and starts nothing', async () => {
    for (const [headers, body] of [
      [{ 'content-type': 'text/plain' }, '{"data":{}}'],
      [{ 'content-type': 'text/plain;charset=UTF-8' }, ''],
      // What `curl -d` sends unless told otherwise.
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'data=1'],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
      [{ 'content-type': 'application/json; charset=iso-8859-1' }, '{"data":{}}'],
      [{ 'content-type': 'application/jsonx' }, '{"data":{}}'],
    ] as const) {
      const res = await trigger(headers, body);
      expect([headers, res.status]).toEqual([headers, 415]);
      const answer = await json(res);
      expect(answer.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(answer.error.message).toMatch(/application\/json|UTF-8/);
    }
    expect(await runCount(gw)).toBe(0);
    expect(errorLines(gw)).toEqual([]);
  });

  it('answers 400 BODY_INVALID for malformed JSON and 400 REQUEST_INVALID naming the field for a wrong shape', async () => {
    const malformed: RequestInit['body'][] = [
      '{"data":',
      'hello',
      '{"data":{}}x',
      new Uint8Array([0x7b, 0xff, 0x7d]),
    ];
    for (const body of malformed) {
      const res = await trigger({ 'content-type': 'application/json' }, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error).toEqual({
        code: 'BODY_INVALID',
        message: expect.stringMatching(/not valid/),
      });
    }
    for (const [body, field] of [
      ['{"dta":{"sku":"A"}}', /body: .*"dta"/],
      ['[{"data":1}]', /^body: /],
      ['null', /^body: /],
      ['"data"', /^body: /],
    ] as const) {
      const res = await trigger({ 'content-type': 'application/json' }, body);
      expect(res.status).toBe(400);
      const answer = await json(res);
      expect(answer.error.code).toBe('REQUEST_INVALID');
      expect(answer.error.message).toMatch(field);
    }
    expect(await runCount(gw)).toBe(0);
    expect(errorLines(gw)).toEqual([]);
  });

  it('answers 413 past the body limit, and takes an empty body as no data', async () => {
    const big = JSON.stringify({ data: { pad: 'x'.repeat(1024 * 1024) } });
    const tooLarge = await trigger({ 'content-type': 'application/json' }, big);
    expect(tooLarge.status).toBe(413);
    expect((await json(tooLarge)).error.code).toBe('BODY_TOO_LARGE');
    for (const headers of [{}, { 'content-type': 'application/json' }]) {
      const res = await trigger(headers);
      expect([headers, res.status]).toEqual([headers, 202]);
      expect((await gw.engine.getRun((await json(res)).runId))?.event.data).toEqual({});
    }
    const vendorJson = await trigger(
      { 'content-type': 'application/vnd.baton+json; charset=utf-8' },
      '{"data":{"n":1}}',
    );
    expect(vendorJson.status).toBe(202);
    expect((await gw.engine.getRun((await json(vendorJson)).runId))?.event.data).toEqual({ n: 1 });
  });

  it('validates every query parameter of GET /api/runs, naming it', async () => {
    for (const [query, named] of [
      ['since=notadate', 'since'],
      ['since=2026-13-45', 'since'],
      ['since=2026-01-31T12:00:00', 'since'],
      ['since=', 'since'],
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=1.5', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['status=bogus', 'status'],
      ['status=failed&status=running', 'status'],
      ['until=2026-01-01', 'until'],
      ['stauts=failed', 'stauts'],
    ] as const) {
      const res = await gw.app.request(`/api/runs?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      const answer = await json(res);
      expect(answer.error.code).toBe('REQUEST_INVALID');
      expect(answer.error.message).toContain(named);
      expect(answer.error.message).toMatch(/^query/);
    }
    expect(errorLines(gw)).toEqual([]);
  });

  it('reads since as an instant, whatever its zone', async () => {
    const { runId } = await gw.engine.trigger('order', {});
    const createdAt = (await gw.engine.getRun(runId))!.createdAt;
    // The same instant five hours ahead: as text it sorts after createdAt, as a time it is equal.
    const at = new Date(Date.parse(createdAt) + 5 * 3600_000).toISOString().replace('Z', '+05:00');
    const page = await json(gw.app.request(`/api/runs?since=${encodeURIComponent(at)}`));
    expect(page.runs.map((r: { id: string }) => r.id)).toEqual([runId]);
    const later = new Date(Date.parse(createdAt) + 1).toISOString();
    expect((await json(gw.app.request(`/api/runs?since=${later}`))).runs).toEqual([]);
    expect((await json(gw.app.request('/api/runs?since=2000-01-01'))).runs).toHaveLength(1);
    const next = await json(gw.app.request(`/api/runs?cursor=${runId}&limit=1`));
    expect(next).toEqual({ runs: [], next: null });
  });
});

describe('admin API: a client that goes away mid-body', () => {
  let gw: Fixture;
  let server: Awaited<ReturnType<typeof loopbackServer>>;
  beforeEach(async () => {
    gw = await gatewayFixture({ worker: false });
    server = await loopbackServer(gw.app);
  });
  afterEach(async () => {
    await server.close();
    await gw.close();
  });

  it('answers 415 to a body sent with no Content-Type at all', async () => {
    const res = await server.send('POST', '/api/flows/order/trigger', { body: '{"data":{}}' });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body).error.message).toMatch(/no Content-Type/);
    expect(await runCount(gw)).toBe(0);
  });

  it('is no error: no error line, no run started, only a debug line', async () => {
    const declared = { 'content-type': 'application/json', 'content-length': '200' };
    const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    for (const headers of [declared, chunked]) {
      await server.abortMidBody('/api/flows/order/trigger', headers, '{"data":{"sku":"A-1",');
    }
    await expect
      .poll(() => gw.logs.filter((line) => line.includes('the client closed the request')).length)
      .toBe(2);
    expect(errorLines(gw)).toEqual([]);
    expect(await runCount(gw)).toBe(0);
    // The gateway goes on answering.
    const res = await server.send('GET', '/api/runs');
    expect(res.status).toBe(200);
  });
});
