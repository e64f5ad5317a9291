import { type Backend, createEmbeddedBackend, createRedisBackend } from '@baton/runtime';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { latch, probe } from '../helpers/probe-connector';
import { disposableRedisBackend, redisUrl } from '../helpers/redis';
import { backendsWithCluster } from './backends';

describe.each(backendsWithCluster)('idempotency keys, cancel and replay on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function start(flow: object) {
    const p = probe();
    const backup = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector }, backup: { connector: backup.connector } },
      flows: [{ id: 'f', trigger: { source: 's', event: 'go' }, ...flow }],
    });
    const run = async (data: unknown = {}) => {
      const { runs } = await hub!.fire({ source: 's', type: 'go', data });
      return hub!.engine.waitForRun(runs[0]!.runId);
    };
    return { p, backup, hub, run };
  }

  it('keeps one idempotency key per step of a run across retries; items and fallbacks get their own', async () => {
    const { p, backup, run } = await start({
      steps: [
        {
          id: 'charge',
          action: 'probe.do',
          retry: { maxAttempts: 3, initialInterval: '5ms' },
          input: { __action: 'charge' },
        },
        { id: 'ship', action: 'probe.do', forEach: '{{ event.data.items }}', input: { __action: 'ship' } },
        {
          id: 'notify',
          action: 'probe.do',
          retry: { maxAttempts: 1 },
          input: { __action: 'notify' },
          fallback: [{ action: 'backup.do', input: { __action: 'notify-b' } }],
        },
      ],
    });
    p.script('charge', [{ retryable: 'x' }, { retryable: 'y' }, { ok: {} }]);
    p.script('notify', [{ retryable: 'down' }]);
    const first = await run({ items: [1, 2] });
    const second = await run({ items: [1] });
    const charges = p.callsOf('charge');
    expect(new Set(charges.filter((c) => c.runId === first.id).map((c) => c.idempotencyKey))).toEqual(
      new Set([`${first.id}:charge`]),
    );
    expect(charges.find((c) => c.runId === second.id)!.idempotencyKey).toBe(`${second.id}:charge`);
    expect(
      p
        .callsOf('ship')
        .filter((c) => c.runId === first.id)
        .map((c) => c.idempotencyKey)
        .sort(),
    ).toEqual([`${first.id}:ship:0`, `${first.id}:ship:1`]);
    expect(backup.callsOf('notify-b')[0]!.idempotencyKey).toBe(`${first.id}:notify:route-1`);
  });

  it('cancels a running run: the call in flight is aborted and nothing else starts', async () => {
    const { p, hub } = await start({
      steps: [
        { id: 'slow', action: 'probe.do', timeout: '10s', input: { __action: 'slow' } },
        { id: 'after', action: 'probe.do', input: { __action: 'after' } },
      ],
    });
    p.script('slow', [{ hang: true }]);
    const { runs } = await hub.fire({ source: 's', type: 'go' });
    const runId = runs[0]!.runId;
    while (p.callsOf('slow').length === 0) await new Promise((r) => setTimeout(r, 5));
    const cancelled = await hub.engine.cancel(runId, { actor: 'ops@example.com' });
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED' } });
    expect(cancelled.audit.at(-1)).toMatchObject({ action: 'cancel', actor: 'ops@example.com' });
    await new Promise((r) => setTimeout(r, 50));
    expect(p.callsOf('slow')[0]!.aborted).toBe(true);
    expect(p.callsOf('after')).toHaveLength(0);
    expect((await hub.engine.getRun(runId))!.status).toBe('cancelled');
    await expect(hub.engine.cancel(runId)).rejects.toMatchObject({ code: 'RUN_ALREADY_ENDED' });
    await expect(hub.engine.cancel('run_nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it('replays a failed run, reusing the outputs of the steps that succeeded, with new keys for the rest', async () => {
    const { p, hub, run } = await start({
      steps: [
        { id: 'reserve', action: 'probe.do', input: { __action: 'reserve' } },
        {
          id: 'charge',
          action: 'probe.do',
          retry: { maxAttempts: 1 },
          input: { __action: 'charge', r: '{{ steps.reserve.output.id }}' },
        },
      ],
    });
    p.script('reserve', [{ ok: { id: 'res_1' } }, { ok: { id: 'res_2' } }]);
    p.script('charge', [{ fatal: 'declined' }, { ok: { id: 'ch_1' } }]);
    const failed = await run();
    expect(failed.status).toBe('failed');
    await expect(hub.engine.replay(failed.steps[0]!.id)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    const { runId } = await hub.engine.replay(failed.id, { actor: 'alice' });
    const replayed = await hub.engine.waitForRun(runId);
    expect(replayed).toMatchObject({
      status: 'succeeded',
      trigger: 'replay',
      replayOf: failed.id,
      event: failed.event,
    });
    expect(replayed.steps[0]).toMatchObject({
      id: 'reserve',
      status: 'succeeded',
      reused: true,
      output: { id: 'res_1' },
    });
    expect(p.callsOf('reserve')).toHaveLength(1);
    const charges = p.callsOf('charge');
    expect(charges.map((c) => c.idempotencyKey)).toEqual([`${failed.id}:charge`, `${runId}:charge`]);
    expect(charges[1]!.input).toEqual({ __action: 'charge', r: 'res_1' });
    expect((await hub.engine.getRun(failed.id))!.audit.at(-1)).toMatchObject({
      action: 'replay',
      actor: 'alice',
    });
    await expect(hub.engine.replay(runId)).rejects.toMatchObject({ code: 'RUN_NOT_REPLAYABLE' });
  });

  it('replays a run at most once, however many replays race: one new run, one call to the provider', async () => {
    const { p, hub, run } = await start({
      steps: [{ id: 'charge', action: 'probe.do', retry: { maxAttempts: 1 }, input: { __action: 'charge' } }],
    });
    p.script('charge', [{ fatal: 'declined' }, { ok: { id: 'ch_1' } }]);
    const failed = await run();
    expect(failed.status).toBe('failed');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => hub.engine.replay(failed.id, { actor: `user-${i}` })),
    );
    const runIds = new Set(answers.map((a) => a.runId));
    expect(runIds.size).toBe(1);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    const [runId] = [...runIds] as [string];
    expect((await hub.engine.waitForRun(runId)).status).toBe('succeeded');
    expect(p.callsOf('charge').filter((c) => c.runId === runId)).toHaveLength(1);
    // Once the replay ended, the run is still not replayed again: the answer names its replay.
    expect(await hub.engine.replay(failed.id)).toEqual({ runId, duplicate: true });
    const original = (await hub.engine.getRun(failed.id))!;
    expect(original.replayedBy).toBe(runId);
    expect(original.audit.filter((a) => a.action === 'replay')).toEqual([
      expect.objectContaining({ detail: `replayed as ${runId}` }),
    ]);
    const listed = (await hub.engine.listRuns({ flow: 'f' })).runs;
    expect(listed.map((r) => r.id)).toEqual([runId, failed.id]);
    expect(listed[1]).toMatchObject({ replayedBy: runId });
    expect(p.callsOf('charge')).toHaveLength(2);
  });

  it('lists runs newest first with filters and a cursor', async () => {
    const { p, hub, run } = await start({
      steps: [{ id: 'a', action: 'probe.do', retry: { maxAttempts: 1 }, input: { __action: 'a' } }],
    });
    p.script('a', [{ ok: 1 }, { fatal: 'no' }, { ok: 1 }, { ok: 1 }]);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await run()).id);
    const page1 = await hub.engine.listRuns({ flow: 'f', limit: 3 });
    expect(page1.runs.map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    const page2 = await hub.engine.listRuns({ flow: 'f', limit: 3, cursor: page1.next! });
    expect(page2.runs.map((r) => r.id)).toEqual([ids[0]]);
    expect(page2.next).toBeUndefined();
    expect((await hub.engine.listRuns({ status: 'failed' })).runs.map((r) => r.id)).toEqual([ids[1]]);
    expect((await hub.engine.listRuns({ flow: 'other' })).runs).toEqual([]);
  });

  it('finishes a run with the steps it started with when the flow later gains a step', async () => {
    const { p, hub } = await start({
      steps: [
        { id: 'a', action: 'probe.do', input: { __action: 'a' } },
        { id: 'b', action: 'probe.do', input: { __action: 'b' } },
        { id: 'added', action: 'probe.do', input: { __action: 'added' } },
        { id: 'after', action: 'probe.do', needs: ['added'], input: { __action: 'after' } },
      ],
    });
    // A run recorded before `added` and `after` existed (started by an older version of the flow).
    const now = new Date().toISOString();
    const step = (id: string) => ({
      id,
      phase: 'main' as const,
      status: 'pending' as const,
      attempts: [],
      route: 0,
      routeAttempts: 0,
    });
    const runId = 'run_00000000000000000000000001';
    await hub.engine.backend.runs.create([
      {
        id: runId,
        flow: 'f',
        status: 'queued',
        phase: 'main',
        trigger: 'manual',
        event: { specversion: '1.0', id: 'old-1', source: 'manual', type: 'manual', time: now, data: {} },
        steps: [step('a'), step('b')],
        createdAt: now,
        audit: [],
      },
    ]);
    await hub.engine.backend.queue.enqueue([{ kind: 'start', run: runId }]);
    const run = await hub.engine.waitForRun(runId, { timeoutMs: 5000 });
    expect(run.status).toBe('succeeded');
    expect(p.calls.map((c) => c.action)).toEqual(['a', 'b']);
  });

  it('keeps secrets out of run records and logs', async () => {
    const canary = 'canary-secret-3b9f1c7d2e';
    const p = probe();
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    hub = testHub({
      log,
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector, config: { token: canary } } },
      flows: [
        {
          id: 'f',
          trigger: { source: 's', event: 'go' },
          steps: [
            {
              id: 'a',
              action: 'probe.do',
              retry: { maxAttempts: 1 },
              input: { __action: 'a', note: '{{ event.data.note }}' },
            },
          ],
        },
      ],
    });
    p.script('a', [{ fatal: `rejected token ${canary}` }]);
    // The event itself carries the secret too (a sender echoing it): inputs are redacted.
    const { runs } = await hub.fire({ source: 's', type: 'go', data: { note: `token=${canary}` } });
    const result = await hub.engine.waitForRun(runs[0]!.runId);
    const stored = JSON.stringify({ ...result, event: undefined });
    expect(result.status).toBe('failed');
    expect(stored).not.toContain(canary);
    expect(stored).toContain('[redacted]');
    expect(lines.join('\n')).toContain('probe a called');
    expect(lines.join('\n')).not.toContain(canary);
  });
});

describe('replay across processes on one Redis', () => {
  it('starts one run when two engines on one prefix replay the same runs at once', async () => {
    const p = probe();
    const first = await disposableRedisBackend();
    const second = await createRedisBackend({ url: redisUrl, prefix: first.prefix });
    const hub = (backend: Backend) =>
      testHub({
        backend,
        connectors: { probe: { connector: p.connector } },
        flows: [
          {
            id: 'f',
            trigger: { source: 's', event: 'go' },
            steps: [{ id: 'a', action: 'probe.do', retry: { maxAttempts: 1 }, input: { __action: 'a' } }],
          },
        ],
      });
    const a = hub(first);
    const b = hub(second);
    try {
      p.script('a', [{ fatal: 'no' }, { fatal: 'no' }, { fatal: 'no' }, { fatal: 'no' }, { ok: 1 }]);
      const failed = [];
      for (let i = 0; i < 4; i++) {
        const { runs } = await a.fire({ source: 's', type: 'go' });
        failed.push(await a.engine.waitForRun(runs[0]!.runId));
      }
      expect(failed.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
      // Each run is replayed by both engines at once, three times each.
      const answers = await Promise.all(
        failed.flatMap((run) => [a, b, a, b, a, b].map((h) => h.engine.replay(run.id))),
      );
      for (const [i, run] of failed.entries()) {
        const mine = answers.slice(i * 6, i * 6 + 6);
        expect(new Set(mine.map((x) => x.runId)).size).toBe(1);
        expect(mine.filter((x) => !x.duplicate)).toHaveLength(1);
        const replay = await b.engine.waitForRun(mine[0]!.runId);
        expect(replay.replayOf).toBe(run.id);
        expect(p.callsOf('a').filter((c) => c.runId === replay.id)).toHaveLength(1);
        expect((await a.engine.getRun(run.id))!.replayedBy).toBe(replay.id);
      }
      expect(p.callsOf('a')).toHaveLength(8);
      expect((await a.engine.listRuns({ flow: 'f' })).runs).toHaveLength(8);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('retention on the embedded backend', () => {
  it('keeps memory flat: finished runs beyond the bound are dropped, oldest first', async () => {
    const backend = createEmbeddedBackend({ retention: { runs: 5 } });
    const p = probe();
    const hub = testHub({
      backend,
      connectors: { probe: { connector: p.connector } },
      flows: [
        {
          id: 'f',
          trigger: { source: 's', event: 'go' },
          steps: [{ id: 'a', action: 'probe.do', input: {} }],
        },
      ],
    });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { runs } = await hub.fire({ source: 's', type: 'go' });
      await hub.engine.waitForRun(runs[0]!.runId);
      ids.push(runs[0]!.runId);
    }
    expect(backend.runs.size).toBe(5);
    expect(await hub.engine.getRun(ids[0]!)).toBeUndefined();
    expect(await hub.engine.getRun(ids[19]!)).toBeDefined();
    expect((await hub.engine.listRuns({})).runs.map((r) => r.id)).toEqual(ids.slice(15).reverse());
    await hub.close();
  });

  it('never drops a run that has not ended', async () => {
    const backend = createEmbeddedBackend({ retention: { runs: 1 } });
    const p = probe();
    const gate = latch();
    p.script('hold', [{ waitFor: gate.promise }]);
    const hub = testHub({
      backend,
      connectors: { probe: { connector: p.connector } },
      flows: [
        {
          id: 'f',
          trigger: { source: 's', event: 'go' },
          steps: [{ id: 'a', action: 'probe.do', input: { __action: '{{ event.data.a }}' } }],
        },
      ],
    });
    const held = await hub.fire({ source: 's', type: 'go', data: { a: 'hold' } });
    for (let i = 0; i < 3; i++) {
      const { runs } = await hub.fire({ source: 's', type: 'go', data: { a: 'x' } });
      await hub.engine.waitForRun(runs[0]!.runId);
    }
    expect(await hub.engine.getRun(held.runs[0]!.runId)).toBeDefined();
    gate.resolve();
    expect((await hub.engine.waitForRun(held.runs[0]!.runId)).status).toBe('succeeded');
    await hub.close();
  });
});
