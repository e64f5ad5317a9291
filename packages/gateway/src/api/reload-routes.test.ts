import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureConfigPath, gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { orderBody, signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
const TOKEN = 'admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('POST /api/reload', () => {
  let gw: Fixture;
  let folder: string;

  beforeEach(async () => {
    // Inside the package (git-ignored .tmp), so the copied connector still resolves @baton/sdk.
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    folder = await mkdtemp(join(scratch, 'reload-'));
    await cp(join(fixtureConfigPath, '..'), folder, { recursive: true });
    gw = await gatewayFixture({ apiToken: TOKEN, configPath: join(folder, 'baton.config.json') });
  });
  afterEach(async () => {
    await gw.close();
    await rm(folder, { recursive: true, force: true });
  });

  const reload = (headers: Record<string, string> = auth) =>
    gw.app.request('/api/reload', { method: 'POST', headers });

  async function editOrderFlow(text: string): Promise<void> {
    const file = join(folder, 'flows/order.json');
    const flow = JSON.parse(await readFile(file, 'utf8'));
    flow.steps[1].input.text = text;
    await writeFile(file, JSON.stringify(flow, null, 2));
  }

  it('needs the bearer token, and is in the OpenAPI document', async () => {
    const res = await reload({});
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('UNAUTHORIZED');
    const doc = await json(gw.app.request('/api/openapi.json', { headers: auth }));
    expect(doc.paths['/reload'].post).toBeDefined();
  });

  it('makes the edited and added flows current: the API shows them and webhooks start them', async () => {
    const before = gw.engine.flows.get('order')!.version;
    await editOrderFlow('edited {{ steps.stock.output.reservation }}');
    await writeFile(
      join(folder, 'flows/audit.json'),
      JSON.stringify({
        id: 'audit',
        trigger: { source: 'shop', event: 'order.created' },
        steps: [{ id: 'note', action: 'shop.notify', input: { text: 'seen' } }],
      }),
    );

    const res = await reload();

    expect(res.status).toBe(200);
    const answer = await json<{ flows: Array<{ id: string; version: string }>; restartNeeded?: string[] }>(
      res,
    );
    expect(answer.restartNeeded).toBeUndefined();
    const order = answer.flows.find((f) => f.id === 'order')!;
    expect(order.version).toMatch(/^[0-9a-f]{12}$/);
    expect(order.version).not.toBe(before);
    expect(answer.flows.map((f) => f.id)).toContain('audit');

    const shown = await json(gw.app.request('/api/flows/order', { headers: auth }));
    expect(shown.definition.steps[1].input.text).toBe('edited {{ steps.stock.output.reservation }}');
    const audit = await json(gw.app.request('/api/flows/audit', { headers: auth }));
    expect(audit.file).toBe(join(folder, 'flows/audit.json'));

    const body = orderBody();
    const accepted = await json<{ runs: Array<{ flow: string; runId: string }> }>(
      gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) }),
    );
    expect(accepted.runs.map((r) => r.flow).sort()).toEqual(['audit', 'order']);
    const run = await gw.engine.getRun(accepted.runs.find((r) => r.flow === 'order')!.runId);
    expect(run?.flowVersion).toBe(order.version);
  });

  it('refuses an invalid change with 400 RELOAD_INVALID and its diagnostics, and nothing changes', async () => {
    const before = gw.engine.flows.get('order')!;
    await editOrderFlow('{{ steps.nowhere.output }}');
    await writeFile(join(folder, 'flows/broken.json'), '{ "id": "broken", ');

    const res = await reload();

    expect(res.status).toBe(400);
    const answer = await json(res);
    expect(answer.error).toMatchObject({
      code: 'RELOAD_INVALID',
      message: expect.stringContaining('2 problems'),
    });
    expect(answer.error.diagnostics).toEqual([
      expect.stringMatching(/flows\/broken\.json:1:\d+ .*\[FLOW_JSON_SYNTAX\]$/),
      expect.stringMatching(/flows\/order\.json:\d+:\d+ \/steps\/1\/input\/text: .*\[REF_UNKNOWN_STEP\]$/),
    ]);
    expect(gw.engine.flows.get('order')).toBe(before);
    expect(gw.engine.flows.has('broken')).toBe(false);
  });

  it('says which config changes need a restart, and still reloads the flows', async () => {
    const config = JSON.parse(await readFile(join(folder, 'baton.config.json'), 'utf8'));
    config.connectors.shop.breaker = { failureThreshold: 2 };
    config.sources.extra = { verify: { scheme: 'github', secret: 'extra-secret' } };
    await writeFile(join(folder, 'baton.config.json'), JSON.stringify(config, null, 2));
    await editOrderFlow('after the config edit');

    const res = await reload();

    expect(res.status).toBe(200);
    const answer = await json(res);
    expect(answer.restartNeeded).toEqual(['connectors.shop', 'sources.extra']);
    expect(gw.engine.flows.get('order')!.flow.steps[1]).toMatchObject({
      input: { text: 'after the config edit' },
    });
    // The running sources stay until the restart.
    const extra = await gw.app.request('/webhooks/extra', { method: 'POST', body: '{}' });
    expect(extra.status).toBe(404);
  });

  it('keeps the versions runs used: GET /api/flows/:id/versions and /versions/:version', async () => {
    const before = gw.engine.flows.get('order')!.version;
    const body = orderBody();
    await gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) });
    await editOrderFlow('second version');
    expect((await reload()).status).toBe(200);
    const after = gw.engine.flows.get('order')!.version;

    const detail = await json(gw.app.request('/api/flows/order', { headers: auth }));
    expect(detail.version).toBe(after);
    const versions = await json(gw.app.request('/api/flows/order/versions', { headers: auth }));
    expect(versions).toEqual({
      id: 'order',
      current: after,
      versions: [
        { version: after, current: true, runs: 0, lastRunAt: null },
        { version: before, current: false, runs: 1, lastRunAt: expect.any(String) },
      ],
    });
    const old = await json(gw.app.request(`/api/flows/order/versions/${before}`, { headers: auth }));
    expect(old).toMatchObject({ id: 'order', version: before, current: false });
    expect(old.definition.steps[1].input.text).toBe('reserved {{ steps.stock.output.reservation }}');
    const missing = await gw.app.request('/api/flows/order/versions/000000000000', { headers: auth });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('FLOW_NOT_FOUND');
  });
});
