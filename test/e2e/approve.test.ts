import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, hubFolder } from '../helpers/cli';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';

const secret = `whsec_${Buffer.from('approve-test-signing-key-12345').toString('base64')}`;
const token = 'approve-test-token-0123456789';

/**
 * `baton approve RUN STEP [--reject] [--by NAME] [--comment C]` against a
 * running `baton serve`, through the admin API with BATON_API_TOKEN: the
 * approval step is decided and audited; a second decision is API_REFUSED
 * with the API's STEP_NOT_WAITING, exit 1.
 */
describe('baton approve', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  const { REDIS_URL: _redis, ...parentEnv } = process.env;
  const env = { ...parentEnv, SHOP_WHSEC: secret, BATON_API_TOKEN: token };

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: { $env: 'SHOP_WHSEC' } } } },
      },
      'flows/refund.json': {
        id: 'refund',
        trigger: { source: 'shop', event: 'refund.requested' },
        steps: [{ id: 'ok', approval: { title: 'Refund {{ event.data.data.amount }}?' } }],
      },
      'refund.json': { amount: 120 },
    });
  });
  afterAll(async () => {
    killChildren();
    await hub?.remove();
  });

  it('decides a waiting approval step through the admin API, then refuses a second decision', async () => {
    const serve = spawnBaton(['serve', '--port', '0'], { cwd: hub.path, env });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
    const sent = await baton(
      ['send', 'shop', '--type', 'refund.requested', '--data', 'refund.json', '--url', url!],
      hub.path,
      env,
    );
    expect(sent.code).toBe(0);
    const runId = /"runId": "([^"]+)"/.exec(sent.stdout)![1]!;
    const api = async (path: string) =>
      (await (
        await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as {
        status: string;
        audit: Array<{ action: string; actor: string }>;
        steps: Array<{ id: string; status: string; approval?: { title: string }; output: unknown }>;
      };
    const waiting = await until(async () => {
      const run = await api(`/runs/${runId}`);
      return run.steps[0]!.status === 'waiting' ? run : undefined;
    }, 'the approval step waiting');
    expect(waiting.steps[0]!.approval?.title).toBe('Refund 120?');

    const approved = await baton(
      ['approve', runId, 'ok', '--by', 'maria', '--comment', 'receipt checked', '--url', url!],
      hub.path,
      env,
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approved ok of run ${runId} as maria`);
    const done = await until(async () => {
      const run = await api(`/runs/${runId}`);
      return run.status === 'succeeded' ? run : undefined;
    }, 'the run succeeded');
    expect(done.steps[0]!.output).toMatchObject({
      decision: 'approve',
      by: 'maria',
      comment: 'receipt checked',
    });
    expect(done.audit).toContainEqual(expect.objectContaining({ action: 'approve', actor: 'maria' }));

    const again = await baton(['approve', runId, 'ok', '--reject', '--url', url!], hub.path, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('STEP_NOT_WAITING');
    expect(again.stderr).toContain('API_REFUSED');
  });
});
