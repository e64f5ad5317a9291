import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture, SECRETS } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { orderBody, signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;

describe('POST /webhooks/:source', () => {
  let gw: Fixture;
  beforeEach(async () => {
    gw = await gatewayFixture();
  });
  afterEach(async () => gw.close());

  const post = (source: string, body: string | Uint8Array, headers: Record<string, string>) =>
    gw.app.request(`/webhooks/${source}`, { method: 'POST', body, headers });

  it('accepts a Standard Webhooks delivery signed by the official library: 202 with the runs', async () => {
    const body = orderBody();
    const headers = signers.standard(body, { id: 'msg_accept_1' });
    const res = await post('shop', body, headers);
    expect(res.status).toBe(202);
    const answer = await json(res);
    expect(answer).toEqual({
      eventId: 'msg_accept_1',
      runs: [{ flow: 'order', runId: expect.stringMatching(/^run_/) }],
    });
    const run = await gw.engine.waitForRun(answer.runs[0].runId);
    expect(run.status).toBe('succeeded');
    expect(run.event).toMatchObject({
      id: 'msg_accept_1',
      source: 'shop',
      type: 'order.created',
      data: JSON.parse(body),
    });
  });

  it('accepts svix-* headers and any of several signatures (sender-side rotation)', async () => {
    const body = orderBody();
    const headers = signers.standard(body, { svix: true });
    headers['svix-signature'] = `v1,${Buffer.from('not-it').toString('base64')} ${headers['svix-signature']}`;
    expect((await post('shop', body, headers)).status).toBe(202);
  });

  it('accepts each secret of a source while rotating', async () => {
    const body = orderBody();
    expect((await post('shop', body, signers.standard(body, { secret: SECRETS.shopOld }))).status).toBe(202);
    const other = `whsec_${Buffer.from('someone-else-entirely').toString('base64')}`;
    expect((await post('shop', body, signers.standard(body, { secret: other }))).status).toBe(401);
  });

  it('answers a duplicate with the first answer plus duplicate: true, and starts nothing', async () => {
    const body = orderBody();
    const headers = signers.standard(body, { id: 'msg_dup_1' });
    const first = await await json(post('shop', body, headers));
    const again = await post('shop', body, signers.standard(body, { id: 'msg_dup_1' }));
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ ...first, duplicate: true });
    expect((await gw.engine.listRuns({ flow: 'order' })).runs).toHaveLength(1);
  });

  it.each([
    [
      'no signature headers',
      (_body: string) => ({ 'content-type': 'application/json' }),
      'SIGNATURE_MISSING',
    ],
    [
      'a wrong signature',
      (body: string) =>
        signers.standard(body, { secret: `whsec_${Buffer.from('wrong-key').toString('base64')}` }),
      'SIGNATURE_INVALID',
    ],
    [
      'a timestamp 6 minutes old',
      (body: string) => signers.standard(body, { at: new Date(Date.now() - 6 * 60_000) }),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    ],
    [
      'a timestamp 6 minutes ahead',
      (body: string) => signers.standard(body, { at: new Date(Date.now() + 6 * 60_000) }),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    ],
  ])('refuses %s with 401', async (_label, headersFor, code) => {
    const body = orderBody();
    const res = await post('shop', body, headersFor(body));
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ error: { code, message: expect.any(String) } });
    expect((await gw.engine.listRuns({})).runs).toHaveLength(0);
  });

  it('refuses a body altered after signing', async () => {
    const body = orderBody({ sku: 'A-1', qty: 2 });
    const headers = signers.standard(body);
    expect((await post('shop', body.replace('"qty":2', '"qty":9'), headers)).status).toBe(401);
  });

  it('verifies Stripe signatures from the official library, several v1 entries, both timestamp directions', async () => {
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'pi_1' } },
    });
    const ok = await post('stripe', body, signers.stripe(body));
    expect(ok.status).toBe(202);
    expect((await json(ok)).eventId).toBe('evt_1');
    const rolled = signers.stripe(body);
    rolled['stripe-signature'] = rolled['stripe-signature'].replace(',v1=', `,v1=${'0'.repeat(64)},v1=`);
    expect((await post('stripe', body.replace('evt_1', 'evt_1'), rolled)).status).toBe(200);
    for (const skew of [-6 * 60_000, 6 * 60_000]) {
      const res = await post('stripe', body, signers.stripe(body, { at: new Date(Date.now() + skew) }));
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe('TIMESTAMP_OUT_OF_TOLERANCE');
    }
  });

  it('verifies GitHub X-Hub-Signature-256 from @octokit/webhooks-methods; id and type from headers', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const res = await post(
      'github',
      body,
      await signers.github(body, { delivery: 'delivery-1', event: 'push' }),
    );
    expect(res.status).toBe(202);
    const { runs } = await json(res);
    const run = await gw.engine.waitForRun(runs[0].runId);
    expect(run.event).toMatchObject({ id: 'delivery-1', type: 'push', source: 'github' });
    const bad = await signers.github(body, { secret: 'not-the-secret' });
    expect((await post('github', body, bad)).status).toBe(401);
    const sha1Only = {
      'x-hub-signature': 'sha1=abc',
      'x-github-event': 'push',
      'x-github-delivery': 'd2',
      'content-type': 'application/json',
    };
    expect((await post('github', body, sha1Only)).status).toBe(401);
  });

  it('verifies Shopify base64 HMACs; id and topic from headers', async () => {
    const body = JSON.stringify({ id: 820982911946154500 });
    const res = await post('store', body, signers.shopify(body, { id: 'shopify-1' }));
    expect(res.status).toBe(202);
    expect((await json(res)).eventId).toBe('shopify-1');
    expect((await post('store', body, signers.shopify(body, { secret: 'wrong' }))).status).toBe(401);
  });

  it('verifies plain HMAC with a prefix; the id is the body hash when the sender gives none', async () => {
    const body = JSON.stringify({ type: 'quote.requested', sku: 'Q-1' });
    const res = await post('legacy', body, signers.legacy(body));
    expect(res.status).toBe(200); // quote.requested is a sync flow: the answer carries its result
    const answer = await json(res);
    expect(answer.eventId).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.runs[0]).toMatchObject({ flow: 'quote', status: 'succeeded', output: { remaining: 9 } });
    expect((await post('legacy', body, signers.legacy(body, 'wrong'))).status).toBe(401);
  });

  it('answers 404 for an unknown source, before reading the body', async () => {
    const res = await post('nobody', '{}', { 'content-type': 'application/json' });
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('SOURCE_NOT_FOUND');
  });

  it('answers 400 for a signed body that does not parse, and 415 for other content types', async () => {
    const broken = '{"type": "order.created", ';
    const res = await post('shop', broken, signers.standard(broken));
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('BODY_INVALID');
    const xml = '<order/>';
    const asXml = { ...signers.standard(xml), 'content-type': 'application/xml' };
    expect((await post('shop', xml, asXml)).status).toBe(415);
    // Content-type confusion: JSON text declared as a form parses as a form, and a form as JSON fails.
    const jsonText = orderBody();
    const asForm = { ...signers.standard(jsonText), 'content-type': 'application/x-www-form-urlencoded' };
    const formRes = await post('shop', jsonText, asForm);
    expect(formRes.status).toBe(400);
    expect((await json(formRes)).error.code).toBe('EVENT_TYPE_MISSING');
    const form = 'type=order.created&sku=A';
    const formAsJson = signers.standard(form);
    expect((await post('shop', form, formAsJson)).status).toBe(400);
  });

  it('keeps payload keys such as __proto__ as plain data', async () => {
    const body = '{"type":"order.created","__proto__":{"polluted":true},"data":{"sku":"A","qty":1}}';
    const res = await post('shop', body, signers.standard(body));
    expect(res.status).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const run = await gw.engine.waitForRun((await json(res)).runs[0].runId);
    expect(Object.hasOwn(run.event.data as object, '__proto__')).toBe(true);
  });

  it('answers 413 for a body over the limit, declared or not', async () => {
    const big = JSON.stringify({ type: 'x', pad: 'y'.repeat(100) });
    const declared = await post('limited', big, {
      'content-type': 'application/json',
      'content-length': String(big.length),
    });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(20)));
        controller.close();
      },
    });
    const chunked = await gw.app.request('/webhooks/limited', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await json(chunked)).error.code).toBe('BODY_TOO_LARGE');
  });

  it('answers 429 with Retry-After past the source rate limit', async () => {
    const sign = (body: string) => ({
      'x-signature': createHmac('sha256', SECRETS.limited).update(body).digest('base64'),
      'content-type': 'application/json',
    });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify({ type: 'ping', n: i });
      last = await post('limited', body, sign(body));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(last!)).error.code).toBe('RATE_LIMITED');
  });
});

describe('backlog limit', () => {
  it('answers 503 with Retry-After when too many runs wait to start', async () => {
    const gw = await gatewayFixture({ backlogLimit: 1, worker: false }); // no worker: everything waits
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      const body = orderBody();
      last = await gw.app.request('/webhooks/shop', {
        method: 'POST',
        body,
        headers: signers.standard(body),
      });
      statuses.push(last.status);
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(statuses[0]).toBe(202);
    expect(statuses.at(-1)).toBe(503);
    expect(last!.headers.get('retry-after')).toBe('10');
    expect((await json(last!)).error.code).toBe('BACKLOG_FULL');
    await gw.close();
  });
});
