import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { until } from '../helpers/until';
import { backendsWithCluster } from './backends';

/**
 * Steps that wait (CONTRACT.md "Steps that wait"): a `wait` step ends on
 * the event of its source and type whose `eventKey` equals its `key`, an
 * `approval` step on a decision; both hold no worker, time out with
 * WAIT_TIMEOUT, and end once whatever races to end them.
 */
describe.each(backendsWithCluster)('steps that wait on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  const order = (wait: Record<string, unknown>, timeout?: string) => ({
    id: 'order',
    trigger: { source: 'shop', event: 'order.created' },
    steps: [
      { id: 'charge', action: 'probe.do', input: { __action: 'charge' } },
      {
        id: 'paid',
        ...(timeout ? { timeout } : {}),
        wait: {
          source: 'stripe',
          event: 'payment_intent.succeeded',
          key: '{{ steps.charge.output.id }}',
          eventKey: '{{ event.data.object.id }}',
          ...wait,
        },
      },
      {
        id: 'ship',
        action: 'probe.do',
        input: { __action: 'ship', intent: '{{ steps.paid.output.data.object.id }}' },
      },
    ],
  });

  async function start(flows: unknown[]) {
    const p = probe();
    let n = 0;
    p.script('charge', [{ ok: () => ({ id: `pi_${++n}` }) }]);
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows,
    });
    return { p, hub };
  }

  // The run's status follows its step's in a write of its own (plan/status.ts), a moment later.
  const waiting = async (h: TestHub, runId: string, step: string) =>
    until(async () => {
      const run = await h.engine.getRun(runId);
      const parked = run?.status === 'waiting' && run.steps.find((s) => s.id === step)?.status === 'waiting';
      return parked ? run : undefined;
    }, `step ${step} of run ${runId} waiting, and the run with it`);

  const paid = (id: string, intent: string) => ({
    source: 'stripe',
    type: 'payment_intent.succeeded',
    id,
    data: { object: { id: intent, status: 'succeeded' } },
  });

  it('waits for the correlated event, holding no worker, then goes on with it as the output', async () => {
    const { p, hub: h } = await start([order({})]);
    const { runs } = await h.fire({ source: 'shop', type: 'order.created' });
    const runId = runs[0]!.runId;
    const held = await waiting(h, runId, 'paid');
    expect(held.status).toBe('waiting');
    expect(held.steps.find((s) => s.id === 'paid')!.wait).toMatchObject({
      source: 'stripe',
      event: 'payment_intent.succeeded',
      key: 'pi_1',
    });

    // Another intent's event ends nothing; the matching one ends the wait, once.
    expect((await h.fire(paid('evt_other', 'pi_999'))).resumed).toBeUndefined();
    const answer = await h.fire(paid('evt_1', 'pi_1'));
    expect(answer.resumed).toEqual([{ flow: 'order', runId, step: 'paid' }]);
    const done = await h.engine.waitForRun(runId);
    expect(done.status).toBe('succeeded');
    expect(done.steps.find((s) => s.id === 'paid')!.output).toMatchObject({
      id: 'evt_1',
      type: 'payment_intent.succeeded',
    });
    expect(p.calls.find((c) => c.action === 'ship')!.input).toMatchObject({ intent: 'pi_1' });
    // A duplicate delivery answers as the first did and resumes nothing new.
    const again = await h.fire(paid('evt_1', 'pi_1'));
    expect(again).toMatchObject({ duplicate: true, resumed: [{ flow: 'order', runId, step: 'paid' }] });
  });

  it('counts an event that arrived within the lookback before the wait started (no race)', async () => {
    const { hub: h } = await start([order({ lookback: '1m' })]);
    await h.fire(paid('evt_early', 'pi_1'));
    const { runs } = await h.fire({ source: 'shop', type: 'order.created' });
    const done = await h.engine.waitForRun(runs[0]!.runId, { timeoutMs: 10_000 });
    expect(done.status).toBe('succeeded');
    expect(done.steps.find((s) => s.id === 'paid')!.output).toMatchObject({ id: 'evt_early' });
  });

  it('one event ends the waits of many runs, whatever their number, and each once', async () => {
    const flows = [
      {
        ...order({}),
        steps: [
          {
            id: 'paid',
            needs: [],
            wait: {
              source: 'stripe',
              event: 'payment_intent.succeeded',
              key: 'batch-7',
              eventKey: '{{ event.data.batch }}',
            },
          },
        ],
      },
    ];
    const { hub: h } = await start(flows);
    const started = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.fire({ source: 'shop', type: 'order.created', id: `o${i}` })),
    );
    const runIds = started.map((s) => s.runs[0]!.runId);
    for (const runId of runIds) await waiting(h, runId, 'paid');
    const answer = await h.fire({
      source: 'stripe',
      type: 'payment_intent.succeeded',
      data: { batch: 'batch-7' },
    });
    expect(answer.resumed?.map((r) => r.runId).sort()).toEqual([...runIds].sort());
    for (const runId of runIds) expect((await h.engine.waitForRun(runId)).status).toBe('succeeded');
    expect(h.events.filter((e) => e.type === 'step.ended' && e.step === 'paid')).toHaveLength(20);
  });

  it('fails a wait that outlives its timeout with WAIT_TIMEOUT, and a later event resumes nothing', async () => {
    const { p, hub: h } = await start([order({}, '200ms')]);
    const { runs } = await h.fire({ source: 'shop', type: 'order.created' });
    const done = await h.engine.waitForRun(runs[0]!.runId, { timeoutMs: 10_000 });
    expect(done.status).toBe('failed');
    expect(done.steps.find((s) => s.id === 'paid')).toMatchObject({
      status: 'failed',
      error: { code: 'WAIT_TIMEOUT' },
    });
    expect(p.calls.map((c) => c.action)).toEqual(['charge']);
    expect((await h.fire(paid('evt_late', 'pi_1'))).resumed).toBeUndefined();
  });

  it('replays a run whose wait timed out: the succeeded steps are reused and the wait starts again', async () => {
    const { p, hub: h } = await start([order({}, '150ms')]);
    const { runs } = await h.fire({ source: 'shop', type: 'order.created' });
    const failed = await h.engine.waitForRun(runs[0]!.runId, { timeoutMs: 10_000 });
    expect(failed.error).toMatchObject({ code: 'WAIT_TIMEOUT' });
    const { runId } = await h.engine.replay(failed.id);
    const held = await waiting(h, runId, 'paid');
    expect(held.steps.find((s) => s.id === 'charge')).toMatchObject({ status: 'succeeded', reused: true });
    expect((await h.fire(paid('evt_replayed', 'pi_1'))).resumed).toEqual([
      { flow: 'order', runId, step: 'paid' },
    ]);
    expect((await h.engine.waitForRun(runId)).status).toBe('succeeded');
    expect(p.calls.map((c) => c.action)).toEqual(['charge', 'ship']);
  });

  it('cancels a waiting run; its event then resumes nothing', async () => {
    const { hub: h } = await start([order({})]);
    const { runs } = await h.fire({ source: 'shop', type: 'order.created' });
    await waiting(h, runs[0]!.runId, 'paid');
    expect((await h.engine.cancel(runs[0]!.runId)).status).toBe('cancelled');
    expect((await h.fire(paid('evt_after', 'pi_1'))).resumed).toBeUndefined();
  });

  it('a wait step’s run is waiting only once its wait is registered; an approval’s, in the step’s own write', async () => {
    // What the store is asked, in order: wait registrations, and every status the run is given by
    // a write of its own. A wait step's run must turn `waiting` after its registration (an event
    // sent to a run seen waiting is then always matched); an approval's run never gets a write of
    // its own to `waiting` (it comes with the step's, so no read sees the step waiting alone).
    const backend = await factory.create();
    const asked: string[] = [];
    const patch = backend.runs.patch.bind(backend.runs);
    backend.runs.patch = (runId, fields, options) => {
      if (fields.status) asked.push(`${fields.status} ${runId}`);
      return patch(runId, fields, options);
    };
    const register = backend.waits.register.bind(backend.waits);
    backend.waits.register = (wait, options) => {
      asked.push(`register ${wait.runId}`);
      return register(wait, options);
    };
    const p = probe();
    p.script('charge', [{ ok: () => ({ id: 'pi_1' }) }]);
    const approve = {
      id: 'refund',
      trigger: { source: 'shop', event: 'refund.asked' },
      steps: [{ id: 'ok', approval: { title: 'Refund?' } }],
    };
    hub = testHub({
      backend,
      connectors: { probe: { connector: p.connector } },
      flows: [order({}), approve],
    });
    const ordered = (await hub.fire({ source: 'shop', type: 'order.created' })).runs[0]!.runId;
    const refund = (await hub.fire({ source: 'shop', type: 'refund.asked' })).runs[0]!.runId;
    await waiting(hub, ordered, 'paid');
    await waiting(hub, refund, 'ok');
    const registered = asked.indexOf(`register ${ordered}`);
    expect(registered).toBeGreaterThanOrEqual(0);
    expect(asked.indexOf(`waiting ${ordered}`)).toBeGreaterThan(registered);
    expect(asked).not.toContain(`waiting ${refund}`);
    expect(asked).toContain(`running ${refund}`);
  });

  describe('approval steps', () => {
    const access = (timeout?: string) => ({
      id: 'access',
      trigger: { source: 'hr', event: 'employee.hired' },
      steps: [
        {
          id: 'ok',
          ...(timeout ? { timeout } : {}),
          approval: {
            title: 'Admin access for {{ event.data.email }}?',
            details: 'team {{ event.data.team }}',
          },
        },
        { id: 'grant', action: 'probe.do', input: { __action: 'grant' } },
      ],
      onFailure: [
        { id: 'tell', action: 'probe.do', input: { __action: 'tell', why: '{{ run.error.code }}' } },
      ],
    });
    const hire = { source: 'hr', type: 'employee.hired', data: { email: 'ada@example.com', team: 'ops' } };

    it('asks with the evaluated title, and an approval lets the run go on, audited', async () => {
      const { p, hub: h } = await start([access()]);
      const { runs } = await h.fire(hire);
      const runId = runs[0]!.runId;
      const held = await waiting(h, runId, 'ok');
      expect(held.steps.find((s) => s.id === 'ok')!.approval).toMatchObject({
        title: 'Admin access for ada@example.com?',
        details: 'team ops',
      });
      const decided = await h.engine.decide(runId, 'ok', {
        decision: 'approve',
        by: 'maria',
        comment: 'fine',
      });
      expect(decided.steps.find((s) => s.id === 'ok')).toMatchObject({
        status: 'succeeded',
        output: { decision: 'approve', by: 'maria', comment: 'fine' },
      });
      const done = await h.engine.waitForRun(runId);
      expect(done.status).toBe('succeeded');
      expect(done.audit).toContainEqual(
        expect.objectContaining({ action: 'approve', actor: 'maria', detail: 'step ok: fine' }),
      );
      expect(p.calls.map((c) => c.action)).toEqual(['grant']);
      await expect(h.engine.decide(runId, 'ok', { decision: 'reject' })).rejects.toMatchObject({
        code: 'STEP_NOT_WAITING',
      });
    });

    it('a rejection fails the step with APPROVAL_REJECTED; of two decisions at once, one wins', async () => {
      const { p, hub: h } = await start([access()]);
      const { runs } = await h.fire(hire);
      const runId = runs[0]!.runId;
      await waiting(h, runId, 'ok');
      const answers = await Promise.allSettled([
        h.engine.decide(runId, 'ok', { decision: 'reject', by: 'a' }),
        h.engine.decide(runId, 'ok', { decision: 'reject', by: 'b' }),
      ]);
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(answers.find((a) => a.status === 'rejected')).toMatchObject({
        reason: { code: 'STEP_NOT_WAITING' },
      });
      const done = await h.engine.waitForRun(runId);
      expect(done.status).toBe('failed');
      expect(done.steps.find((s) => s.id === 'ok')).toMatchObject({
        status: 'failed',
        error: { code: 'APPROVAL_REJECTED' },
      });
      expect(p.calls.map((c) => c.action)).toEqual(['tell']);
      expect(p.calls[0]!.input).toMatchObject({ why: 'APPROVAL_REJECTED' });
    });

    it('times out with WAIT_TIMEOUT when nobody decides; unknown steps are STEP_NOT_FOUND', async () => {
      const { hub: h } = await start([access('150ms')]);
      const { runs } = await h.fire(hire);
      const runId = runs[0]!.runId;
      await expect(h.engine.decide(runId, 'nope', { decision: 'approve' })).rejects.toMatchObject({
        code: 'STEP_NOT_FOUND',
      });
      const done = await h.engine.waitForRun(runId, { timeoutMs: 10_000 });
      expect(done.steps.find((s) => s.id === 'ok')).toMatchObject({
        status: 'failed',
        error: { code: 'WAIT_TIMEOUT' },
      });
    });
  });
});
