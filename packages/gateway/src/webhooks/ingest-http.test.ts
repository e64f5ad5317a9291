import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { orderBody, signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;

/** A POST over loopback: the body in `chunks` (chunked when no Content-Length is set). */
function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  chunks: string[],
  options: { abortAfterFirst?: boolean } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (options.abortAfterFirst) {
      req.write(chunks[0]);
      setTimeout(() => {
        req.destroy();
        resolve({ status: 0, body: '' });
      }, 50);
      return;
    }
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('POST /webhooks/:source over HTTP (the body read from Node’s request stream)', () => {
  let gw: Fixture;
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeEach(async () => {
    gw = await gatewayFixture();
    server = await new Promise((resolve) => {
      const s = serve({ fetch: gw.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await gw.close();
  });

  it('records the body exactly, with a Content-Length and chunked', async () => {
    for (const chunked of [false, true]) {
      const body = orderBody();
      const headers = signers.standard(body);
      if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
      const half = Math.floor(body.length / 2);
      const res = await post(port, '/webhooks/shop', headers, [body.slice(0, half), body.slice(half)]);
      expect(res.status).toBe(202);
      const run = await gw.engine.waitForRun(JSON.parse(res.body).runs[0].runId);
      expect(run.event.data).toEqual(JSON.parse(body));
    }
  });

  it('answers 413 past the limit, declared or counted while chunked', async () => {
    const big = JSON.stringify({ type: 'x', pad: 'y'.repeat(100) });
    const declared = await post(
      port,
      '/webhooks/limited',
      { 'content-type': 'application/json', 'content-length': String(big.length) },
      [big],
    );
    expect(declared.status).toBe(413);
    const chunked = await post(
      port,
      '/webhooks/limited',
      { 'content-type': 'application/json' },
      Array.from({ length: 10 }, () => 'x'.repeat(20)),
    );
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('BODY_TOO_LARGE');
  });

  it('survives a client that goes away mid-body, and answers the next one', async () => {
    const body = orderBody();
    const headers = { ...signers.standard(body), 'content-length': String(Buffer.byteLength(body)) };
    await post(port, '/webhooks/shop', headers, [body.slice(0, 10)], { abortAfterFirst: true });
    const next = orderBody();
    const ok = await post(
      port,
      '/webhooks/shop',
      { ...signers.standard(next), 'content-length': String(Buffer.byteLength(next)) },
      [next],
    );
    expect(ok.status).toBe(202);
  });
});
