import { createHmac, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@baton/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors';
import { fixtureConfigPath, gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { signers } from '../test-support/signers';
import { bodyEventId, MAX_BODY_EVENT_ID_LENGTH } from './body-event-id';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;

const PLAIN_SECRET = 'plain-hmac-secret-0123';

describe('bodyEventId', () => {
  const body = {
    id: 'evt_1',
    n: 42,
    big: 820982911946154500,
    head_commit: { id: 'c0ffee' },
    items: [{ sku: 'A-1' }],
    nested: { ok: true },
    empty: '',
    ['__proto__']: { polluted: 'x' },
  };

  it.each([
    ['id', 'evt_1'],
    ['n', '42'],
    ['head_commit.id', 'c0ffee'],
    ['items.0.sku', 'A-1'],
    ['__proto__.polluted', 'x'],
  ])('reads %s', (path, id) => {
    expect(bodyEventId(JSON.parse(JSON.stringify(body)), path)).toBe(id);
  });

  it('joins several fields as a JSON array, so values with the separator stay apart', () => {
    expect(bodyEventId({ a: 'x:y', b: 'z' }, ['a', 'b'])).toBe('["x:y","z"]');
    expect(bodyEventId({ a: 'x', b: 'y:z' }, ['a', 'b'])).toBe('["x","y:z"]');
  });

  it.each([
    ['missing', 'has no value there'],
    ['empty', 'has no value there'],
    ['head_commit.id.more', 'has no value there'],
    ['constructor', 'has no value there'],
    ['toString', 'has no value there'],
    ['big', 'holds a number JSON cannot carry exactly'],
    ['nested', 'holds an object, not a string or a whole number'],
    ['items', 'holds an array, not a string or a whole number'],
    ['nested.ok', 'holds a boolean, not a string or a whole number'],
  ])('refuses %s: %s', (path, why) => {
    const error = (() => {
      try {
        bodyEventId(body, path);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'EVENT_ID_MISSING' });
    expect((error as Error).message).toContain(`"${path}" (eventIdFromBody) ${why}`);
  });

  it('refuses an id longer than the limit', () => {
    expect(() => bodyEventId({ id: 'x'.repeat(MAX_BODY_EVENT_ID_LENGTH + 1) }, 'id')).toThrow(
      /longer than 512/,
    );
    expect(bodyEventId({ id: 'x'.repeat(MAX_BODY_EVENT_ID_LENGTH) }, 'id')).toHaveLength(512);
  });

  it('is checked in baton.config.json', () => {
    const verify = { scheme: 'github', secret: 's' };
    for (const eventIdFromBody of ['id', 'head_commit.id', ['ref', 'after']])
      expect(configSchema.safeParse({ sources: { gh: { verify, eventIdFromBody } } }).success).toBe(true);
    for (const eventIdFromBody of ['', 'a..b', '.id', 'id.', 'a b', [], 7])
      expect(configSchema.safeParse({ sources: { gh: { verify, eventIdFromBody } } }).success).toBe(false);
  });
});

/**
 * GitHub, Shopify and plain HMAC sign the body only: the delivery id in
 * their headers is not covered, so a captured body sent again with a new
 * id is a new event, unless the source takes its event id from the body.
 */
describe('POST /webhooks/:source with eventIdFromBody', () => {
  const folders: string[] = [];
  let gw: Fixture | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  /** The fixture hub, with `edit` applied to its config (inside the package, so its connector resolves). */
  async function hubWith(edit: (config: { sources: Record<string, Record<string, unknown>> }) => void) {
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    const folder = await mkdtemp(join(scratch, 'event-id-'));
    folders.push(folder);
    await cp(join(fixtureConfigPath, '..'), folder, { recursive: true });
    const configPath = join(folder, 'baton.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    config.sources.plain = {
      verify: { scheme: 'hmac-sha256', secret: PLAIN_SECRET, idHeader: 'X-Delivery-Id' },
    };
    edit(config);
    await writeFile(configPath, JSON.stringify(config));
    gw = await gatewayFixture({ configPath });
    return gw;
  }

  const post = (source: string, body: string, headers: Record<string, string>) =>
    gw!.app.request(`/webhooks/${source}`, { method: 'POST', body, headers });

  const plainHeaders = (body: string, delivery: string = randomUUID()) => ({
    'x-signature': createHmac('sha256', PLAIN_SECRET).update(body).digest('hex'),
    'x-delivery-id': delivery,
    'content-type': 'application/json',
  });

  const push = JSON.stringify({
    ref: 'refs/heads/main',
    after: '5f1c0ffee',
    head_commit: { id: '5f1c0ffee' },
  });
  const order = JSON.stringify({
    id: 1001,
    admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
    updated_at: '2026-01-31T10:00:00-05:00',
  });
  const invoice = JSON.stringify({ id: 'inv_1', type: 'invoice.paid' });

  it('without it, the same signed body with a new delivery id is a new event', async () => {
    await hubWith(() => {});
    const answers = [];
    for (const delivery of ['delivery-1', 'delivery-2']) {
      const res = await post('github', push, await signers.github(push, { delivery }));
      answers.push({ status: res.status, body: await json(res) });
    }
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(answers.map((a) => a.body.eventId)).toEqual(['delivery-1', 'delivery-2']);
    for (const id of ['shopify-1', 'shopify-2'])
      expect((await post('store', order, signers.shopify(order, { id }))).status).toBe(202);
    for (const delivery of ['plain-1', 'plain-2'])
      expect((await post('plain', invoice, plainHeaders(invoice, delivery))).status).toBe(202);
    expect((await gw!.engine.listRuns({ flow: 'github-push' })).runs).toHaveLength(2);
  });

  it('with it, the same signed body with a new delivery id is a duplicate: 200 and nothing new runs', async () => {
    await hubWith((config) => {
      config.sources.github!.eventIdFromBody = ['ref', 'after'];
      config.sources.store!.eventIdFromBody = ['admin_graphql_api_id', 'updated_at'];
      config.sources.plain!.eventIdFromBody = 'id';
    });
    const cases = [
      { source: 'github', body: push, sign: (d: string) => signers.github(push, { delivery: d }) },
      { source: 'store', body: order, sign: async (d: string) => signers.shopify(order, { id: d }) },
      { source: 'plain', body: invoice, sign: async (d: string) => plainHeaders(invoice, d) },
    ];
    for (const { source, body, sign } of cases) {
      const first = await post(source, body, await sign(`${source}-first`));
      expect(first.status, source).toBe(202);
      const answer = await json(first);
      const again = await post(source, body, await sign(`${source}-captured-and-resent`));
      expect(again.status, source).toBe(200);
      expect(await json(again)).toEqual({ ...answer, duplicate: true });
    }
    const runs = (await gw!.engine.listRuns({ flow: 'github-push' })).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.eventId).toBe('["refs/heads/main","5f1c0ffee"]');
    expect((await gw!.engine.listRuns({ flow: 'store-orders' })).runs).toHaveLength(1);

    // Another push (another commit) is another event.
    const next = push.replaceAll('5f1c0ffee', '6a2d0ffee');
    expect((await post('github', next, await signers.github(next))).status).toBe(202);
    expect((await gw!.engine.listRuns({ flow: 'github-push' })).runs).toHaveLength(2);
  });

  it('answers 400 EVENT_ID_MISSING for a signed body without the field, and records nothing', async () => {
    await hubWith((config) => {
      config.sources.github!.eventIdFromBody = 'head_commit.id';
      config.sources.store!.eventIdFromBody = 'id';
    });
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const res = await post('github', ping, await signers.github(ping, { event: 'ping' }));
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: 'EVENT_ID_MISSING',
        message: `the body's "head_commit.id" (eventIdFromBody) has no value there`,
      },
    });
    // Shopify's numeric ids are past what JSON numbers carry exactly: refused rather than rounded.
    const big = '{"id":820982911946154508}';
    const rounded = await post('store', big, signers.shopify(big));
    expect(rounded.status).toBe(400);
    expect((await json(rounded)).error.message).toContain('holds a number JSON cannot carry exactly');
    expect((await gw!.engine.listRuns({})).runs).toHaveLength(0);
  });
});
