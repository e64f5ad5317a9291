import { afterEach, describe, expect, it } from 'vitest';
import type { StepRecord } from '../../model/run-record';
import { rawClient, startRedisServer, testFlow, testRun, uniquePrefix } from './_test-redis';
import { createRedisBackend, type RedisBackend } from './index';
import { Keys } from './keys';

/**
 * A failover loses the dead master's last writes: the new master holds a
 * run at an older version than the copy a worker kept of it, and once
 * another write brings the run back to the copy's version number, the
 * version check alone would take the copy for current. The outage the
 * failover caused makes the worker drop its copies.
 */
describe('Redis run copies after a failover', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  const opened: RedisBackend[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close().catch(() => {})));
    await server?.stop();
    server = undefined;
  });

  it('reads the run as Redis holds it, not a copy holding writes Redis lost', async () => {
    server = await startRedisServer(['--appendonly', 'yes']);
    const prefix = uniquePrefix('rollback');
    const open = async () => {
      const backend = await createRedisBackend({ url: server!.url, prefix, commandTimeoutMs: 200 });
      opened.push(backend);
      return backend;
    };
    const [worker, other] = [await open(), await open()];
    const raw = rawClient(server.url);
    try {
      const run = testRun(testFlow());
      const key = new Keys(prefix).run(run.id);
      await worker.runs.create([run]);
      const beforeLostWrite = await raw.dumpBuffer(key);
      const running = (step: StepRecord): StepRecord => ({ ...step, status: 'running' });
      // The worker's write, acknowledged, then lost with the master: the run is back as it was.
      await worker.runs.putStep(run.id, running(run.steps[0]!));
      await raw.restore(key, 0, beforeLostWrite, 'REPLACE');
      // Another process writes to the run on the new master: the same version number as the worker's copy.
      await other.runs.putStep(run.id, running(run.steps[1]!));

      // The worker sees the failover as an outage (its calls time out while Redis does not answer).
      await raw.call('CLIENT', 'PAUSE', '500', 'ALL');
      await expect(worker.ping()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      await new Promise((r) => setTimeout(r, 600));

      const seen = await worker.runs.get(run.id);
      expect(seen?.steps.map((s) => s.status)).toEqual(['pending', 'running']);
    } finally {
      raw.disconnect();
    }
  }, 30_000);
});
