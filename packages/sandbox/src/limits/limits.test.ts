import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { createHubspotSystem } from '../systems/hubspot';
import { mailboxSystem } from '../systems/mailbox';
import { opsSystem } from '../systems/ops';

// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;

function sandbox(systems = [opsSystem, mailboxSystem]) {
  const { app, state } = createSandboxApp({ systems });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Json) };
  };
  const call = async (path = '/ops/traffic', headers: Record<string, string> = {}) => {
    const res = await app.request(path, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  return { app, state, control, call };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits of the systems', () => {
  it('refuses the request over the limit with 429, Retry-After and the system’s error shape', async () => {
    const { control, call } = sandbox();
    const set = await control('PUT', '/limits/ops', { requests: 3, per: 3000 });
    expect(set).toEqual({
      status: 200,
      body: { system: 'ops', limit: { requests: 3, per: 3000, headers: 'retry-after' } },
    });
    for (let i = 0; i < 3; i += 1) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(refused.body).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('3 requests per 3000 ms') },
    });

    const stats = await control('GET', '/limits/ops');
    expect(stats.body).toEqual({
      limit: { requests: 3, per: 3000, headers: 'retry-after' },
      pause: null,
      accepted: 3,
      rejected: 1,
      maxInAnyWindow: 3,
      per: 3000,
      arrivals: [expect.any(Number), expect.any(Number), expect.any(Number)],
    });
  });

  it('slides the window, and refused requests take no place in it', async () => {
    const { control, call } = sandbox();
    await control('PUT', '/limits/ops', { requests: 2, per: 300 });
    expect([(await call()).status, (await call()).status]).toEqual([200, 200]);
    // Refused ones, however many, do not push the window's end further out.
    for (let i = 0; i < 5; i += 1) expect((await call()).status).toBe(429);
    await sleep(320);
    expect([(await call()).status, (await call()).status, (await call()).status]).toEqual([200, 200, 429]);
    const stats = await control('GET', '/limits/ops');
    expect(stats.body).toMatchObject({ accepted: 4, rejected: 6, maxInAnyWindow: 2 });
    // Over a longer window, the four accepted ones fall together.
    expect((await control('GET', '/limits/ops?per=10000')).body).toMatchObject({
      maxInAnyWindow: 4,
      per: 10000,
    });
  });

  it('says a fixed Retry-After when one is set', async () => {
    const { control, call } = sandbox();
    await control('PUT', '/limits/ops', { requests: 1, per: 1000, retryAfter: 7 });
    await call();
    expect((await call()).headers.get('retry-after')).toBe('7');
  });

  it('sends X-RateLimit headers on every answer in x-ratelimit mode', async () => {
    const { control, call } = sandbox();
    await control('PUT', '/limits/ops', { requests: 2, per: 2000, headers: 'x-ratelimit' });
    const first = await call();
    const second = await call();
    const refused = await call();
    const quota = (h: Headers) => [
      h.get('x-ratelimit-limit'),
      h.get('x-ratelimit-remaining'),
      h.get('x-ratelimit-reset'),
    ];
    expect(quota(first.headers)).toEqual(['2', '1', '2']);
    expect([first.status, second.status, refused.status]).toEqual([200, 200, 429]);
    expect(quota(second.headers)).toEqual(['2', '0', '2']);
    expect(quota(refused.headers)).toEqual(['2', '0', '2']);
    expect(refused.headers.get('retry-after')).toBeNull();
  });

  it('sends the IETF RateLimit fields in ietf mode, and nothing in none mode', async () => {
    const { control, call } = sandbox();
    await control('PUT', '/limits/ops', { requests: 1, per: 1000, headers: 'ietf' });
    const ok = await call();
    expect([
      ok.headers.get('ratelimit-limit'),
      ok.headers.get('ratelimit-remaining'),
      ok.headers.get('ratelimit-reset'),
    ]).toEqual(['1', '0', '1']);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('retry-after')).toBeNull();

    await control('PUT', '/limits/ops', { requests: 1, per: 1000, headers: 'none' });
    const bare = await call();
    expect(bare.status).toBe(429);
    expect([...bare.headers.keys()].filter((k) => /ratelimit|retry-after/.test(k))).toEqual([]);
  });

  it('answers the generic error body for a system without a shape of its own', async () => {
    const { control, call } = sandbox();
    await control('PUT', '/limits/mailbox', { requests: 1, per: 1000 });
    await call('/mailbox');
    const refused = await call('/mailbox');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { type: 'rate_limited', message: expect.any(String) } });
  });

  it('pauses a whole system with 429 or 503 and Retry-After, counting every refusal', async () => {
    const { control, call, state } = sandbox();
    const paused = await control('POST', '/limits/ops/pause', { retryAfter: 30, status: 503 });
    expect(paused.body).toMatchObject({ system: 'ops', pause: { status: 503, retryAfter: 30 } });
    const refused = await call();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body.error.code).toBe('service_unavailable');
    expect((await call('/ops/health')).status).toBe(503);
    expect((await control('GET', '/limits/ops')).body).toMatchObject({
      limit: null,
      pause: { status: 503, retryAfter: 30 },
      accepted: 0,
      rejected: 2,
    });
    expect(state.requests.map((r) => [r.status, r.fault])).toEqual([
      [503, 'pause'],
      [503, 'pause'],
    ]);
    expect((await control('DELETE', '/limits/ops')).status).toBe(204);
    expect((await call()).status).toBe(200);
    expect((await control('GET', '/limits/ops')).body).toMatchObject({
      pause: null,
      accepted: 1,
      rejected: 2,
    });
  });

  it('ends a pause by itself once its time is up', async () => {
    const { control, call } = sandbox();
    await control('POST', '/limits/ops/pause', { retryAfter: 1 });
    const refused = await call();
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '1']);
    await sleep(1010);
    expect((await call()).status).toBe(200);
  });

  it('records refusals in the ledger, and forgets limits, pauses and counts on reset', async () => {
    const { control, call, state } = sandbox();
    await control('PUT', '/limits/ops', { requests: 1, per: 60_000 });
    await call();
    await call();
    expect(state.requests.map((r) => [r.status, r.fault])).toEqual([
      [200, undefined],
      [429, 'rate-limit-window'],
    ]);
    expect((await control('GET', '/limits')).body).toEqual({
      limits: { ops: { requests: 1, per: 60_000, headers: 'retry-after' } },
    });
    await control('POST', '/reset');
    expect((await control('GET', '/limits')).body).toEqual({ limits: {} });
    expect((await call()).status).toBe(200);
    expect((await control('GET', '/limits/ops')).body).toMatchObject({
      limit: null,
      accepted: 1,
      rejected: 0,
      per: 1000,
    });
  });

  it('refuses unknown systems and bad limits', async () => {
    const { control } = sandbox();
    expect((await control('PUT', '/limits/nope', { requests: 1, per: 1000 })).status).toBe(404);
    expect((await control('GET', '/limits/nope')).status).toBe(404);
    expect((await control('POST', '/limits/nope/pause', { retryAfter: 1 })).status).toBe(404);
    expect((await control('PUT', '/limits/ops', { requests: 0, per: 1000 })).status).toBe(400);
    expect((await control('PUT', '/limits/ops', { requests: 1, per: 1000, headers: 'x' })).status).toBe(400);
    expect((await control('PUT', '/limits/ops', { requests: 1, per: 1000, extra: 1 })).status).toBe(400);
    expect((await control('POST', '/limits/ops/pause', { retryAfter: 5, status: 500 })).status).toBe(400);
    expect((await control('GET', '/limits/ops?per=abc')).status).toBe(400);
  });

  it('lets a limit set on hubspot replace HubSpot’s own per-token limit while it is set', async () => {
    const { control, call } = sandbox([createHubspotSystem({ tenSecondlyLimit: 2 })]);
    const auth = { authorization: 'Bearer pat-sandbox-1' };
    const path = '/hubspot/account-info/v3/details';
    await control('PUT', '/limits/hubspot', { requests: 4, per: 10_000 });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call(path, auth)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const refused = await call(path, auth);
    expect(refused.body).toMatchObject({ status: 'error', category: 'RATE_LIMITS', errorType: 'RATE_LIMIT' });
    expect(refused.headers.get('x-hubspot-ratelimit-max')).toBeNull();

    await control('DELETE', '/limits/hubspot');
    const own = [];
    for (let i = 0; i < 3; i += 1) own.push(await call(path, auth));
    expect(own.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(own[2]!.body.policyName).toBe('TEN_SECONDLY_ROLLING');
  });
});
