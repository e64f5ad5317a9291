import type { ReplayJob } from '@baton/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren } from '../helpers/spawn-baton';
import { startVendor } from '../helpers/vendor';
import { dispatcher, faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';

/**
 * 400 runs at 100 replays/s keep the job running for about 4 s: the worker is
 * killed a quarter of the way in, with most of the job still ahead, as with
 * 1,000 runs in 10 s, and every run is still checked to be replayed once.
 */
const RUNS = 400;

/**
 * The acceptance case of bulk replay: hundreds of failed runs, two `baton worker`
 * processes on one Redis, the request sent twice, one worker killed with
 * SIGKILL while the job runs. Every failed run is replayed exactly once,
 * and the dry run counted what the job replayed.
 */
describe('bulk replay with a worker killed mid-way', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof faultHub>>;
  const prefix = uniquePrefix('bulk-replay');
  let side: Awaited<ReturnType<typeof dispatcher>>;
  let workers: Array<Awaited<ReturnType<typeof startWorker>>>;

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await faultHub(vendor.url, [
      orderFlow('work', [
        { id: 'work', action: 'vendor.work', retry: { maxAttempts: 1 }, input: { n: '{{ event.data.n }}' } },
      ]),
    ]);
    const env = workerEnv(redisUrl, prefix);
    workers = await Promise.all([startWorker(hub.path, env, 16), startWorker(hub.path, env, 16)]);
    side = await dispatcher(hub.path, { url: redisUrl, prefix });
  }, 120_000);
  afterAll(async () => {
    killChildren();
    await side?.close();
    await deleteKeys(prefix);
    await vendor.close();
    await hub.remove();
  });

  it('replays each of 400 failed runs exactly once', { timeout: 240_000 }, async () => {
    // A 400 is not retried: each run fails at once.
    vendor.fail('/work', 400);
    const originals: string[] = [];
    for (let from = 0; from < RUNS; from += 100) {
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => side.fire({ n: from + i })));
      originals.push(...answers.map((a) => a.runs[0]!.runId));
    }
    for (const runId of originals) {
      expect((await side.engine.waitForRun(runId, { timeoutMs: 60_000 })).status).toBe('failed');
    }

    const dry = await side.engine.replayMatching({ flow: 'work' }, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, matched: RUNS, alreadyReplayed: 0 });

    // The request twice at once: one job; at 100 runs/s it runs for about 4 s.
    const [first, second] = await Promise.all([
      side.engine.replayMatching({ flow: 'work' }, { rate: 100 }),
      side.engine.replayMatching({ flow: 'work' }, { rate: 100 }),
    ]);
    if (first!.dryRun || second!.dryRun) throw new Error('a dry run');
    expect(second!.jobId).toBe(first!.jobId);
    expect(first!.matched).toBe(RUNS);
    const jobId = first!.jobId;

    const progress = async (): Promise<ReplayJob> => (await side.engine.replayJob(jobId))!;
    const handled = (job: ReplayJob) => job.replayed + job.skipped + job.failed;
    // Kill one worker once the job is well under way.
    for (let job = await progress(); handled(job) < RUNS / 4; job = await progress()) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const victim = workers[0]!;
    victim.proc.kill('SIGKILL');
    await victim.exited;
    // The request again, while the job runs: the same job.
    const third = await side.engine.replayMatching({ flow: 'work' }, { rate: 100 });
    expect(third).toMatchObject({ jobId, duplicate: true });

    let job = await progress();
    const deadline = Date.now() + 120_000;
    while (job.status !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      job = await progress();
    }
    expect(job).toMatchObject({ status: 'done', matched: RUNS, replayed: RUNS, skipped: 0, failed: 0 });

    // Every original names one replay, and exactly one run replays each.
    const replayOf = new Map<string, number>();
    let cursor: string | undefined;
    do {
      const page = await side.engine.listRuns({ flow: 'work', limit: 500, ...(cursor ? { cursor } : {}) });
      for (const run of page.runs) {
        if (run.replayOf) replayOf.set(run.replayOf, (replayOf.get(run.replayOf) ?? 0) + 1);
      }
      cursor = page.next;
    } while (cursor);
    expect(replayOf.size).toBe(RUNS);
    expect([...replayOf.values()].every((n) => n === 1)).toBe(true);
    for (const runId of originals) {
      expect(replayOf.get(runId), runId).toBe(1);
      expect((await side.engine.getRun(runId))!.replayedBy).toBeDefined();
    }
    expect(dry.matched).toBe(job.matched);
  });
});
