import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CUT_MARKER } from '../api/json-answer';
import { fixtureConfigPath, gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;

const nested = (levels: number) => `${'['.repeat(levels)}"bottom"${']'.repeat(levels)}`;
/** An order webhook whose data.deep nests `levels` arrays: the body is `levels + 2` deep. */
const orderWith = (levels: number) =>
  `{"type":"order.created","data":{"sku":"A-1","qty":1,"deep":${nested(levels)}}}`;

describe('deeply nested payloads', () => {
  let gw: Fixture;
  const folders: string[] = [];
  afterEach(async () => {
    await gw.close();
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  const post = (source: string, body: string, headers: Record<string, string>) =>
    gw.app.request(`/webhooks/${source}`, { method: 'POST', body, headers });
  const api = (path: string, init: RequestInit = {}) =>
    gw.app.request(`/api${path}`, { ...init, headers: { 'content-type': 'application/json' } });

  it('refuses a webhook nested past 64 levels with 400 BODY_TOO_DEEP and records nothing', async () => {
    gw = await gatewayFixture();
    for (const levels of [63, 5000]) {
      const body = orderWith(levels);
      const res = await post('shop', body, signers.standard(body));
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual({
        error: {
          code: 'BODY_TOO_DEEP',
          message: 'the body nests arrays and objects more than 64 levels deep (the limit)',
        },
      });
    }
    expect((await json(api('/runs'))).runs).toEqual([]);

    const body = orderWith(62);
    const accepted = await post('shop', body, signers.standard(body));
    expect(accepted.status).toBe(202);
    const { runs } = await json(accepted);
    await gw.engine.waitForRun(runs[0].runId);
    const run = await api(`/runs/${runs[0].runId}`);
    expect(run.status).toBe(200);
    expect((await json(run)).event.data).toEqual(JSON.parse(body));
  });

  it('refuses a form delivery whose JSON payload is too deep', async () => {
    gw = await gatewayFixture();
    const form = (levels: number) => `payload=${encodeURIComponent(`{"ref":"main","x":${nested(levels)}}`)}`;
    const headers = async (body: string) => ({
      ...(await signers.github(body)),
      'content-type': 'application/x-www-form-urlencoded',
    });
    const deep = form(64);
    const refused = await post('github', deep, await headers(deep));
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.code).toBe('BODY_TOO_DEEP');
    const fine = form(63);
    expect((await post('github', fine, await headers(fine))).status).toBe(202);
  });

  it("takes the source's maxBodyDepth, for webhooks and for data triggered by hand", async () => {
    // Inside the package (git-ignored .tmp), so the copied connector still resolves @baton/sdk.
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    const folder = await mkdtemp(join(scratch, 'deep-'));
    folders.push(folder);
    await cp(join(fixtureConfigPath, '..'), folder, { recursive: true });
    const configPath = join(folder, 'baton.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    config.sources.shop.maxBodyDepth = 200;
    await writeFile(configPath, JSON.stringify(config));
    gw = await gatewayFixture({ configPath });

    const body = orderWith(198);
    expect((await post('shop', body, signers.standard(body))).status).toBe(202);
    const over = orderWith(199);
    expect((await json(post('shop', over, signers.standard(over)))).error.message).toBe(
      'the body nests arrays and objects more than 200 levels deep (the limit)',
    );

    const trigger = (levels: number) =>
      api('/flows/order/trigger', {
        method: 'POST',
        body: `{"data":{"data":{"sku":"A-1","qty":1,"deep":${nested(levels)}}}}`,
      });
    expect((await trigger(198)).status).toBe(202);
    const refused = await trigger(199);
    expect(refused.status).toBe(400);
    expect(await json(refused)).toEqual({
      error: {
        code: 'BODY_TOO_DEEP',
        message: 'data nests arrays and objects more than 200 levels deep (the limit)',
      },
    });
  });

  it('refuses data triggered by hand nested past the default limit', async () => {
    gw = await gatewayFixture();
    const res = await api('/flows/order/trigger', {
      method: 'POST',
      body: `{"data":${nested(5000)}}`,
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('BODY_TOO_DEEP');
    expect((await json(api('/runs'))).runs).toEqual([]);
  });

  it('shows a run whose event is too deep to serialize (stored before the limit), cut for display', async () => {
    gw = await gatewayFixture({ worker: false });
    const event = {
      specversion: '1.0' as const,
      id: 'evt-deep',
      source: 'shop',
      type: 'order.created',
      time: new Date().toISOString(),
      data: JSON.parse(`{"data":{"sku":"A-1","qty":1},"deep":${nested(20_000)}}`),
    };
    // Past the trigger condition, which cannot evaluate such an event any more.
    const { runId } = await gw.engine.startRun('order', event);

    const res = await api(`/runs/${runId}`);
    expect(res.status).toBe(200);
    const shown = await json(res);
    expect(shown).toMatchObject({ id: runId, status: 'queued', event: { id: 'evt-deep' } });
    expect(shown.event.data.data).toEqual({ sku: 'A-1', qty: 1 });
    expect(JSON.stringify(shown.event.data.deep)).toContain(CUT_MARKER);

    const cancelled = await gw.app.request(`/api/runs/${runId}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect((await json(cancelled)).status).toBe('cancelled');
    expect(gw.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});
