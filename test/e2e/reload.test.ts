import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder, shopConnectorModule } from '../helpers/cli';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';

interface RunAnswer {
  id: string;
  status: string;
  flowVersion?: string;
  steps: Array<{ id: string; status: string; output?: { remaining?: number } }>;
}

/** The flow as an operator edits it: an approval, then a reservation of `qty`. */
function orderFlow(qty: number) {
  return {
    id: 'order',
    steps: [
      { id: 'ok', approval: { title: 'Reserve {{ event.data.sku }}?' } },
      { id: 'stock', action: 'shop.reserve', input: { sku: '{{ event.data.sku }}', qty } },
    ],
  };
}

/**
 * Reload without restart, through the surfaces: `baton serve` reloads the
 * flow files on SIGHUP and on `POST /api/reload`; new runs start on the new
 * version, a run waiting on an approval keeps the version it started with
 * to its end, and an invalid edit is refused with its diagnostics while the
 * process and its flows go on.
 */
describe('baton serve reloads flows without a restart', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  const { REDIS_URL: _redis, ...parentEnv } = process.env;
  const env = { ...parentEnv, SHOP_KEY: 'sk_reload_0123', BATON_API_TOKEN: '' };
  const flowFile = () => join(hub.path, 'flows/order.json');

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        connectors: { shop: { use: './connectors/shop.mjs', config: { apiKey: { $env: 'SHOP_KEY' } } } },
      },
      'connectors/shop.mjs': shopConnectorModule,
      'flows/order.json': orderFlow(1),
    });
  });
  afterAll(async () => {
    killChildren();
    await hub?.remove();
  });

  it('on SIGHUP and POST /api/reload: new runs take the new version, a waiting run keeps its own', async () => {
    const serve = spawnBaton(['serve', '--port', '0'], { cwd: hub.path, env });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${url}/api${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...init.headers },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const trigger = async (sku: string) =>
      (await api('/flows/order/trigger', { method: 'POST', body: JSON.stringify({ data: { sku } }) })).body
        .runId as string;
    const run = async (id: string) => (await api(`/runs/${id}`)).body as unknown as RunAnswer;
    const waiting = (id: string) =>
      until(async () => {
        const r = await run(id);
        return r.steps[0]?.status === 'waiting' ? r : undefined;
      }, `run ${id} waiting for its approval`);
    const approveAndEnd = async (id: string) => {
      const decided = await api(`/runs/${id}/steps/ok/decision`, {
        method: 'POST',
        body: JSON.stringify({ decision: 'approve' }),
      });
      expect(decided.status).toBe(200);
      return until(async () => {
        const r = await run(id);
        return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
      }, `run ${id} ended`);
    };

    // A run starts on the first version and waits for its approval.
    const first = await waiting(await trigger('A-1'));
    expect(first.flowVersion).toMatch(/^[0-9a-f]{12}$/);

    // SIGHUP after an edit: the new version is current, the answer names it.
    await writeFile(flowFile(), JSON.stringify(orderFlow(3), null, 2));
    serve.proc.kill('SIGHUP');
    const [, v2] = await serve.waitFor(/SIGHUP: reloaded order@([0-9a-f]{12})/);
    expect(v2).not.toBe(first.flowVersion);
    const second = await waiting(await trigger('A-2'));
    expect(second.flowVersion).toBe(v2);

    // An invalid edit is refused with its diagnostics; the process and the current version stay.
    await writeFile(
      flowFile(),
      JSON.stringify({ ...orderFlow(3), steps: [{ id: 'stock', action: 'shop.nope' }] }),
    );
    serve.proc.kill('SIGHUP');
    await until(
      async () => (serve.output().stderr.includes('[STEP_UNKNOWN_ACTION]') ? true : undefined),
      'the refused reload reported',
    );
    expect(serve.output().stderr).toMatch(
      /SIGHUP: reload refused, the running flows stay:\n {2}flows\/order\.json:\d+:\d+ /,
    );
    const refused = await api('/reload', { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'RELOAD_INVALID',
      diagnostics: [
        expect.stringMatching(/order\.json:\d+:\d+ \/steps\/0\/action: .*\[STEP_UNKNOWN_ACTION\]$/),
      ],
    });
    expect((await waiting(await trigger('A-3'))).flowVersion).toBe(v2);

    // POST /api/reload after a valid edit.
    await writeFile(flowFile(), JSON.stringify(orderFlow(5), null, 2));
    const reloaded = await api('/reload', { method: 'POST' });
    expect(reloaded.status).toBe(200);
    expect(reloaded.body).toEqual({
      flows: [{ id: 'order', version: expect.stringMatching(/^[0-9a-f]{12}$/) }],
    });
    const v3 = (reloaded.body.flows as Array<{ version: string }>)[0]!.version;
    expect(v3).not.toBe(v2);
    const third = await waiting(await trigger('A-4'));
    expect(third.flowVersion).toBe(v3);

    // Each run ends on the version it started with: 10 - qty remaining.
    const ended = await Promise.all([first, second, third].map((r) => approveAndEnd(r.id)));
    expect(ended.map((r) => [r.status, r.flowVersion, r.steps[1]?.output?.remaining])).toEqual([
      ['succeeded', first.flowVersion, 9],
      ['succeeded', v2, 7],
      ['succeeded', v3, 5],
    ]);

    serve.proc.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it('on Redis, a SIGHUP to a worker reaches the gateway in another process', async () => {
    await writeFile(flowFile(), JSON.stringify(orderFlow(1), null, 2));
    const prefix = uniquePrefix();
    const redisEnv = { ...env, REDIS_URL: redisUrl, BATON_REDIS_PREFIX: prefix };
    try {
      const serve = spawnBaton(['serve', '--port', '0', '--no-worker'], { cwd: hub.path, env: redisEnv });
      const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
      const worker = spawnBaton(['worker', '--port', '0'], { cwd: hub.path, env: redisEnv });
      await worker.waitFor(/worker started/, 60_000);
      const api = async (path: string, init: RequestInit = {}) =>
        (await (
          await fetch(`${url}/api${path}`, { ...init, headers: { 'content-type': 'application/json' } })
        ).json()) as Record<string, unknown>;
      const trigger = async (sku: string) =>
        (await api('/flows/order/trigger', { method: 'POST', body: JSON.stringify({ data: { sku } }) }))
          .runId as string;
      const ended = async (id: string) => {
        await until(async () => {
          const r = (await api(`/runs/${id}`)) as unknown as RunAnswer;
          return r.steps[0]?.status === 'waiting' ? r : undefined;
        }, `run ${id} waiting for its approval`);
        await api(`/runs/${id}/steps/ok/decision`, {
          method: 'POST',
          body: JSON.stringify({ decision: 'approve' }),
        });
        return until(async () => {
          const r = (await api(`/runs/${id}`)) as unknown as RunAnswer;
          return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
        }, `run ${id} ended`);
      };
      const before = await until(async () => {
        const r = (await api(`/runs/${await trigger('B-1')}`)) as unknown as RunAnswer;
        return r.flowVersion ? r : undefined;
      }, 'a run on the first version');

      await writeFile(flowFile(), JSON.stringify(orderFlow(4), null, 2));
      worker.proc.kill('SIGHUP');
      const [, v2] = await worker.waitFor(/SIGHUP: reloaded order@([0-9a-f]{12})/);
      await until(
        async () => ((await api('/flows/order')).version === v2 ? true : undefined),
        'the gateway taking the version the worker reloaded',
      );
      const after = await ended(await trigger('B-2'));
      expect([after.status, after.flowVersion, after.steps[1]?.output?.remaining]).toEqual([
        'succeeded',
        v2,
        6,
      ]);
      const old = await ended(before.id);
      expect([old.status, old.flowVersion, old.steps[1]?.output?.remaining]).toEqual([
        'succeeded',
        before.flowVersion,
        9,
      ]);
      serve.proc.kill('SIGTERM');
      worker.proc.kill('SIGTERM');
      expect([await serve.exited, await worker.exited]).toEqual([0, 0]);
    } finally {
      await deleteKeys(prefix);
    }
  }, 120_000);
});
