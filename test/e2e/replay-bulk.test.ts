import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, hubFolder } from '../helpers/cli';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';

const token = 'replay-test-token-0123456789';

/**
 * `baton replay` against a running `baton serve`, through the admin API
 * with BATON_API_TOKEN: a dry run prints the count and a sample; a real
 * one starts the job and prints its progress until done, exit 0; the same
 * dry run afterwards matches nothing (the runs are claimed).
 */
describe('baton replay', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  const { REDIS_URL: _redis, ...parentEnv } = process.env;
  const env = { ...parentEnv, BATON_API_TOKEN: token };

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {},
      // A rejected approval fails the run (APPROVAL_REJECTED): failed runs without any connector.
      'flows/refund.json': { id: 'refund', steps: [{ id: 'ok', approval: { title: 'Refund?' } }] },
    });
  });
  afterAll(async () => {
    killChildren();
    await hub?.remove();
  });

  it('counts, then replays the failed runs a filter matches, with progress', async () => {
    const serve = spawnBaton(['serve', '--port', '0'], { cwd: hub.path, env });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`${url}/api${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as Record<string, unknown> & { steps?: Array<{ status: string }> };
    };
    const failed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { runId } = (await api('/flows/refund/trigger', { data: { i } })) as { runId: string };
      await until(async () => (await api(`/runs/${runId}`)).steps?.[0]?.status === 'waiting', 'waiting');
      await api(`/runs/${runId}/steps/ok/decision`, { decision: 'reject' });
      await until(async () => (await api(`/runs/${runId}`)).status === 'failed', 'failed');
      failed.push(runId);
    }

    const dry = await baton(
      ['replay', '--flow', 'refund', '--since', '1h', '--dry-run', '--url', url!],
      hub.path,
      env,
    );
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('3 runs would be replayed');
    for (const runId of failed) expect(dry.stdout).toContain(runId);

    const run = await baton(
      ['replay', '--flow', 'refund', '--error-code', 'APPROVAL_REJECTED', '--rate', '1000', '--url', url!],
      hub.path,
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/replay job rpl_\w+ started: 3 runs/);
    expect(run.stdout).toContain('[####################] 3/3 replayed 3, skipped 0, failed 0 (done)');
    for (const runId of failed) expect((await api(`/runs/${runId}`)).replayedBy).toBeDefined();

    const after = await baton(['replay', '--flow', 'refund', '--dry-run', '--url', url!], hub.path, env);
    expect(after.stdout).toContain('0 runs would be replayed');
    expect(after.stdout).toContain('3 more match but were replayed already');

    const bad = await baton(['replay', '--since', 'yesterday', '--url', url!], hub.path, env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--since');
  });
});
