import { describe, expect, it } from 'vitest';
import type { Run, Step } from '../../dashboard/api/types';
import { flowGraph } from '../../dashboard/model/flow-graph';
import { buildTimeline } from '../../dashboard/model/timeline';
import { decisionOf, pendingApprovals, waitLabel, waitText } from '../../dashboard/model/waiting';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function step(id: string, fields: Partial<Step>): Step {
  return {
    id,
    phase: 'main',
    status: 'waiting',
    attempts: [],
    output: null,
    error: null,
    startedAt: at(100),
    endedAt: null,
    ...fields,
  };
}

function run(id: string, steps: Step[], fields: Partial<Run> = {}): Run {
  return {
    id,
    flow: 'grant-access',
    status: 'waiting',
    phase: 'main',
    trigger: 'webhook',
    event: { specversion: '1.0', id: 'e1', source: 'shop', type: 'access.requested', time: at(0), data: {} },
    steps,
    output: null,
    error: null,
    createdAt: at(0),
    startedAt: at(0),
    endedAt: null,
    audit: [],
    ...fields,
  };
}

const paid = step('paid', {
  wait: { source: 'stripe', event: 'payment_intent.succeeded', key: 'pi_42', since: at(100) },
});
const asking = (since: number, fields: Partial<Step> = {}) =>
  step('ok', { approval: { title: 'Ship pi_42?', since: at(since), timeoutAt: at(86_400_000) }, ...fields });

describe('steps that wait, as the dashboard reads them', () => {
  it('says what a wait step waits for', () => {
    expect(waitText(paid.wait!)).toBe('payment_intent.succeeded from stripe for pi_42');
    expect(waitLabel(paid)).toBe('waiting for event');
    expect(waitLabel(asking(0))).toBe('waiting for a decision');
  });

  it('draws a wait as a bar from when it started waiting to now, growing while it waits', () => {
    const waitingRun = run('run_1', [paid]);
    const first = buildTimeline(waitingRun, T0 + 2_000).rows[0]!;
    expect(first.bars).toEqual([
      expect.objectContaining({
        kind: 'wait',
        outcome: 'waiting',
        label: 'waiting for event',
        startMs: T0 + 100,
        endMs: T0 + 2_000,
      }),
    ]);
    expect(first.caption).toContain('payment_intent.succeeded from stripe for pi_42');
    expect(buildTimeline(waitingRun, T0 + 5_000).rows[0]!.bars[0]!.endMs).toBe(T0 + 5_000);
  });

  it('ends the bar where the step ended, labelled by how the wait ended', () => {
    const approved = asking(100, {
      status: 'succeeded',
      endedAt: at(3_000),
      output: { decision: 'approve', by: 'maria', comment: 'paid', at: at(3_000) },
    });
    const [bar] = buildTimeline(
      run('run_1', [approved], { status: 'succeeded', endedAt: at(3_100) }),
      T0 + 60_000,
    ).rows[0]!.bars;
    expect(bar).toMatchObject({ kind: 'wait', outcome: 'succeeded', label: 'approved', endMs: T0 + 3_000 });
    expect(decisionOf(approved)).toEqual({
      decision: 'approve',
      by: 'maria',
      comment: 'paid',
      at: at(3_000),
    });

    const rejected = asking(100, {
      status: 'failed',
      endedAt: at(2_000),
      output: { decision: 'reject', by: 'bob', at: at(2_000) },
      error: {
        name: 'NonRetryableError',
        code: 'APPROVAL_REJECTED',
        message: 'Rejected by bob',
        retryable: false,
      },
    });
    expect(buildTimeline(run('run_2', [rejected]), T0 + 9_000).rows[0]!.bars[0]).toMatchObject({
      outcome: 'failed',
      label: 'rejected',
      error: { code: 'APPROVAL_REJECTED' },
    });
    const timedOut = step('paid', {
      ...paid,
      status: 'failed',
      endedAt: at(4_000),
      error: {
        name: 'NonRetryableError',
        code: 'WAIT_TIMEOUT',
        message: 'waited too long',
        retryable: false,
      },
    });
    expect(waitLabel(timedOut)).toBe('timed out');
    expect(waitLabel({ ...paid, status: 'succeeded', output: { id: 'evt_1' } })).toBe('event received');
    // An output that merely looks like something else is not read as a decision.
    expect(decisionOf({ ...paid, status: 'succeeded', output: { decision: 'approve', by: 'x' } })).toBe(
      undefined,
    );
  });

  it('stops a wait left open by a cancelled run where the run ended', () => {
    const cancelled = run('run_1', [paid], { status: 'cancelled', endedAt: at(1_000) });
    expect(buildTimeline(cancelled, T0 + 60_000).rows[0]!.bars[0]!.endMs).toBe(T0 + 1_000);
  });

  it('lists the approvals waiting for a decision across runs, the longest waiting first', () => {
    const runs = [
      run('run_new', [asking(5_000)]),
      run('run_old', [paid, asking(1_000)]),
      run('run_done', [asking(0, { status: 'succeeded', endedAt: at(10) })]),
    ];
    expect(pendingApprovals(runs).map(({ run, step }) => `${run.id}/${step.id}`)).toEqual([
      'run_old/ok',
      'run_new/ok',
    ]);
  });

  it('draws wait and approval steps on the flow graph by what they wait for, not as actions', () => {
    const graph = flowGraph({
      id: 'grant-access',
      steps: [
        {
          id: 'paid',
          timeout: '3d',
          wait: { source: 'stripe', event: 'payment_intent.succeeded', key: 'x' },
        },
        { id: 'ok', approval: { title: 'Admin access for {{ event.data.email }}?' } },
      ],
    });
    expect(graph.nodes.filter((n) => n.id.startsWith('step-')).map((n) => [n.kind, n.lines])).toEqual([
      ['delay', ['paid', 'wait for payment_intent.succeeded from stripe', 'timeout 3d']],
      ['delay', ['ok', 'approval: Admin access for {{ event.data.email }}?']],
    ]);
  });
});
