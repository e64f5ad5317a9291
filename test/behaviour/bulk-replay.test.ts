import type { ReplayFilter, ReplayJob } from '@baton/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { backends } from './backends';

/** Polls a bulk replay job until it is done. */
async function jobDone(hub: TestHub, jobId: string, timeoutMs = 15_000): Promise<ReplayJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await hub.engine.replayJob(jobId);
    if (job?.status === 'done') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} not done: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(backends)('bulk replay on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  /**
   * Flow `f` (steps `a` then `b`) and flow `g` (step `x`); each step calls
   * the action the event names, so a run fails where and how the test says.
   */
  async function start() {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [
        {
          id: 'f',
          trigger: { source: 's', event: 'f' },
          steps: [
            {
              id: 'a',
              action: 'probe.do',
              retry: { maxAttempts: 1 },
              input: { __action: '{{ event.data.a }}' },
            },
            {
              id: 'b',
              action: 'probe.do',
              retry: { maxAttempts: 1 },
              input: { __action: '{{ event.data.b }}' },
            },
          ],
        },
        {
          id: 'g',
          trigger: { source: 's', event: 'g' },
          steps: [{ id: 'x', action: 'probe.do', retry: { maxAttempts: 1 }, input: { __action: 'x' } }],
        },
      ],
    });
    const run = async (type: 'f' | 'g', data: unknown = {}) => {
      const { runs } = await hub!.fire({ source: 's', type, data });
      return hub!.engine.waitForRun(runs[0]!.runId);
    };
    return { p, hub, run };
  }

  /** 3 runs of f failing at a (A_DOWN), 2 at b (B_DOWN), 2 of g (X_DOWN), 1 of f succeeding. */
  async function failures() {
    const { p, hub, run } = await start();
    p.script('a-fails', [{ fatal: 'a down', code: 'A_DOWN' }]);
    p.script('b-fails', [{ fatal: 'b down', code: 'B_DOWN' }]);
    p.script('x', [{ fatal: 'x down', code: 'X_DOWN' }]);
    const atA = [];
    for (let i = 0; i < 3; i++) atA.push(await run('f', { a: 'a-fails', b: 'ok' }));
    // A millisecond apart from the runs on either side: the filter's bounds compare at that precision.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const atB = [];
    for (let i = 0; i < 2; i++) atB.push(await run('f', { a: 'ok', b: 'b-fails' }));
    const ofG = [await run('g'), await run('g')];
    const succeeded = await run('f', { a: 'ok', b: 'ok' });
    expect([...atA, ...atB, ...ofG].map((r) => r.status)).toEqual(Array(7).fill('failed'));
    expect(succeeded.status).toBe('succeeded');
    return { p, hub, run, atA, atB, ofG, between };
  }

  const count = async (filter: ReplayFilter) => {
    const answer = await hub!.engine.replayMatching(filter, { dryRun: true });
    if (!answer.dryRun) throw new Error('not a dry run');
    return answer;
  };

  it('matches by each filter field; the dry run shows a sample, newest first', async () => {
    const { atA, atB, ofG, between } = await failures();
    const all = await count({});
    expect(all.matched).toBe(7);
    expect(all.alreadyReplayed).toBe(0);
    expect(all.sample.map((r) => r.id)).toEqual([...atA, ...atB, ...ofG].map((r) => r.id).reverse());
    expect((await count({ flow: 'f' })).matched).toBe(5);
    expect((await count({ flow: 'g' })).matched).toBe(2);
    expect((await count({ status: 'failed' })).matched).toBe(7);
    expect((await count({ status: 'cancelled' })).matched).toBe(0);
    expect((await count({ errorCode: 'B_DOWN' })).sample.map((r) => r.id)).toEqual(
      atB.map((r) => r.id).reverse(),
    );
    expect((await count({ step: 'a' })).matched).toBe(3);
    expect((await count({ step: 'b' })).matched).toBe(2);
    expect((await count({ flow: 'f', step: 'x' })).matched).toBe(0);
    expect((await count({ since: between })).matched).toBe(4);
    expect((await count({ until: between })).matched).toBe(3);
    expect((await count({ since: between, until: between })).matched).toBe(0);
    expect((await count({ flow: 'f', errorCode: 'A_DOWN', step: 'a', until: between })).matched).toBe(3);
  });

  it('replays what the dry run counted, once each; repeating the request replays nothing twice', async () => {
    const { p, atA } = await failures();
    p.script('a-fails', [{ ok: { fixed: true } }]);
    const filter = { flow: 'f', errorCode: 'A_DOWN' };
    const dry = await count(filter);
    expect(dry.matched).toBe(3);
    const started = await hub!.engine.replayMatching(filter, { rate: 1000, actor: 'ops' });
    if (started.dryRun) throw new Error('a dry run');
    expect(started.matched).toBe(dry.matched);
    const job = await jobDone(hub!, started.jobId);
    expect(job).toMatchObject({ matched: 3, replayed: 3, skipped: 0, failed: 0, status: 'done', filter });
    expect(job.endedAt).toBeDefined();
    for (const original of atA) {
      const record = (await hub!.engine.getRun(original.id))!;
      expect(record.replayedBy).toBeDefined();
      const replay = await hub!.engine.waitForRun(record.replayedBy!);
      expect(replay).toMatchObject({ status: 'succeeded', replayOf: original.id });
      expect(replay.audit[0]).toMatchObject({
        action: 'replay',
        actor: `ops (bulk replay ${started.jobId})`,
      });
    }
    // Once done, the same request matches what is left: the runs it replayed are claimed.
    expect((await count(filter)).alreadyReplayed).toBe(3);
    const again = await hub!.engine.replayMatching(filter, { rate: 1000 });
    expect(again).toMatchObject({ dryRun: false, matched: 0 });
    if (again.dryRun) throw new Error('a dry run');
    expect(await jobDone(hub!, again.jobId)).toMatchObject({ matched: 0, replayed: 0, status: 'done' });
    const replays = (await hub!.engine.listRuns({ flow: 'f', limit: 100 })).runs.filter((r) => r.replayOf);
    expect(replays).toHaveLength(3);
  });

  it('answers the running job to the same request; a run replayed singly meanwhile is skipped', async () => {
    const { atA } = await failures();
    const filter = { errorCode: 'A_DOWN' };
    // One run a second: the job is still running when the request comes again.
    const first = await hub!.engine.replayMatching(filter, { rate: 1 });
    const second = await hub!.engine.replayMatching(filter, { rate: 1 });
    if (first.dryRun || second.dryRun) throw new Error('a dry run');
    expect(second).toEqual({ dryRun: false, jobId: first.jobId, matched: 3, duplicate: true });
    // The job goes newest first: the oldest run is replayed by hand before the job reaches it.
    const single = await hub!.engine.replay(atA[0]!.id, { actor: 'alice' });
    const job = await jobDone(hub!, first.jobId);
    expect(job).toMatchObject({ matched: 3, replayed: 2, skipped: 1, failed: 0 });
    expect((await hub!.engine.getRun(atA[0]!.id))!.replayedBy).toBe(single.runId);
    const replays = (await hub!.engine.listRuns({ flow: 'f', limit: 100 })).runs.filter((r) => r.replayOf);
    expect(replays.map((r) => r.replayOf).sort()).toEqual(atA.map((r) => r.id).sort());
  });

  it('does not match a run already replayed singly', async () => {
    const { atB } = await failures();
    await hub!.engine.replay(atB[0]!.id);
    const dry = await count({ errorCode: 'B_DOWN' });
    expect(dry).toMatchObject({ matched: 1, alreadyReplayed: 1 });
    expect(dry.sample.map((r) => r.id)).toEqual([atB[1]!.id]);
  });

  it('a job over nothing is done at once', async () => {
    await start();
    const answer = await hub!.engine.replayMatching({ flow: 'f' });
    if (answer.dryRun) throw new Error('a dry run');
    expect(answer.matched).toBe(0);
    expect(await hub!.engine.replayJob(answer.jobId)).toMatchObject({ status: 'done', matched: 0 });
    expect(await hub!.engine.replayJob('rpl_nope')).toBeUndefined();
  });
});
