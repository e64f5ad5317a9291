import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
const TOKEN = 'admin-token-0123456789';

describe('POST /api/runs/replay and GET /api/replays/:jobId', () => {
  let gw: Fixture;
  beforeEach(async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
  });
  afterEach(async () => gw.close());

  const api = (path: string, init: RequestInit = {}, type = 'application/json') =>
    gw.app.request(`/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type, 'x-baton-actor': 'ops' },
    });
  const replay = (body: unknown) => api('/runs/replay', { method: 'POST', body: JSON.stringify(body) });

  /** A run of `order` that fails (an unknown SKU) and has ended. */
  async function failedOrder(): Promise<string> {
    const res = await api('/flows/order/trigger', {
      method: 'POST',
      body: JSON.stringify({ data: { data: { sku: 'missing', qty: 1 } } }),
    });
    const { runId } = await json(res);
    expect((await gw.engine.waitForRun(runId)).status).toBe('failed');
    return runId;
  }

  it('answers a dry run with the count and a sample, then starts a job that replays each once', async () => {
    const runs = [await failedOrder(), await failedOrder()];
    const dry = await replay({ filter: { flow: 'order', errorCode: 'UNKNOWN_SKU' }, dryRun: true });
    expect(dry.status).toBe(200);
    const counted = await json(dry);
    expect(counted).toMatchObject({ matched: 2, alreadyReplayed: 0 });
    expect(counted.sample.map((r: { id: string }) => r.id)).toEqual([...runs].reverse());

    const started = await replay({ filter: { flow: 'order', errorCode: 'UNKNOWN_SKU' }, rate: 1000 });
    expect(started.status).toBe(202);
    const { jobId, matched } = await json(started);
    expect(matched).toBe(2);
    let job: Record<string, unknown> = {};
    for (let i = 0; i < 200 && job.status !== 'done'; i++) {
      const res = await api(`/replays/${jobId}`);
      expect(res.status).toBe(200);
      job = await json(res);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(job).toMatchObject({
      jobId,
      filter: { flow: 'order', errorCode: 'UNKNOWN_SKU', status: 'failed' },
      matched: 2,
      replayed: 2,
      skipped: 0,
      failed: 0,
      status: 'done',
      rate: 1000,
    });
    expect(typeof job.startedAt).toBe('string');
    expect(typeof job.endedAt).toBe('string');
    for (const runId of runs) {
      const run = await json(api(`/runs/${runId}`));
      expect(run.replayedBy).toBeDefined();
    }
    // The runs are claimed now: the same dry run matches none of them.
    expect(await json(replay({ filter: { flow: 'order' }, dryRun: true }))).toMatchObject({
      alreadyReplayed: 2,
    });
  });

  it('defaults to failed runs and answers a job over nothing', async () => {
    const res = await replay({});
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ matched: 0, jobId: expect.stringMatching(/^rpl_/) });
  });

  it('refuses bad input with 400, 415 and 404, never a 500', async () => {
    const refused = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect((await json(res)).error.code).toBe(code);
    };
    await refused(await replay({ filter: { status: 'succeeded' } }), 400, 'REQUEST_INVALID');
    await refused(await replay({ filter: { since: 'yesterday' } }), 400, 'REQUEST_INVALID');
    await refused(await replay({ filter: { flow: 'order', colour: 'red' } }), 400, 'REQUEST_INVALID');
    await refused(await replay({ dryRun: 'yes' }), 400, 'REQUEST_INVALID');
    await refused(await replay({ rate: 0 }), 400, 'REQUEST_INVALID');
    await refused(await api('/runs/replay', { method: 'POST', body: '{"filter":' }), 400, 'BODY_INVALID');
    await refused(
      await api('/runs/replay', { method: 'POST', body: 'flow=order' }, 'text/plain'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await refused(await api('/replays/rpl_nope'), 404, 'REPLAY_JOB_NOT_FOUND');
  });
});
