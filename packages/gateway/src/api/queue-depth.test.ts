import { describe, expect, it } from 'vitest';
import { fixtureCopies } from '../test-support/fixture-copy';
import { json } from '../test-support/json';

type Status = { queue: { waiting: number; delayed: number; active: number }; runs: Record<string, number> };

/**
 * The health page reads the queue depth of GET /api/status: once every run
 * has ended, nothing is waiting, even for flows with a `timeout` (whose
 * timer task used to stay queued until it fired).
 */
describe('GET /api/status queue depth', () => {
  const serve = fixtureCopies('queue-depth');

  it('counts no delayed work once the runs of a flow with a timeout have ended', async () => {
    const gw = await serve({
      id: 'timed',
      timeout: '10m',
      steps: [{ id: 'pause', delay: '1ms' }],
    } as { id: string });
    for (let i = 0; i < 3; i++) {
      const { runId } = await gw.engine.trigger('timed', { data: {} });
      expect((await gw.engine.waitForRun(runId)).status).toBe('succeeded');
    }
    const status = await json<Status>(gw.app.request('/api/status'));
    expect(status.runs.succeeded).toBe(3);
    expect(status.queue).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('still counts a run that waits: its delay and its timeout', async () => {
    const gw = await serve({ id: 'slow', timeout: '1h', steps: [{ id: 'pause', delay: '30m' }] } as {
      id: string;
    });
    await gw.engine.trigger('slow', { data: {} });
    const status = async () => json<Status>(gw.app.request('/api/status'));
    for (let i = 0; i < 200 && (await status()).runs.waiting === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await status()).queue.delayed).toBe(2);
  });
});
