import { describe, expect, it } from 'vitest';
import {
  arrived,
  at,
  CHANGED,
  errorOf,
  FLOW,
  failed,
  flowOf,
  itemOf,
  NOW,
  type PlanCase,
  planOf,
  RUN,
  recordOf,
  runOf,
  STARTED,
  serialized,
  stepTask,
} from './_test-plan';
import type { Decision, PlannedWrite } from './decision';

/**
 * The rule of a failed run's parked steps (interrupt.ts): once the run turned
 * to failure, a main step waiting for its delay, a retry or its forEach items
 * is not tried again but fails with STEP_INTERRUPTED, so compensation,
 * onFailure and the run's end are not held up. Regression: the run used to
 * stay `compensating` forever when such a step's task arrived after the
 * failure (its task was dropped, and compensation waited for the step).
 */

const flow = flowOf({
  timeout: '1m',
  steps: [
    { id: 'wait', delay: '10m' },
    { id: 'pay', action: 'svc.pay', needs: [] },
    { id: 'ship', action: 'svc.ship', needs: [], forEach: '{{ [1, 2, 3] }}', concurrency: 1 },
    { id: 'after', action: 'svc.after', needs: ['wait', 'pay', 'ship'] },
  ],
});
const boom = serialized(errorOf('BOOM', { retryable: true }));
const compensating = { phase: 'compensating' as const, error: serialized(errorOf('FLOW_TIMEOUT')) };
const OPEN = ['pending', 'running', 'waiting'] as const;

/** The step's record once interrupted, and its `step.ended` event. */
function interruptedEnd(base: ReturnType<typeof recordOf>, ids: { step: string }): PlannedWrite {
  const { wakeAt: _parked, ...rest } = base;
  const error = {
    name: 'NonRetryableError',
    code: 'STEP_INTERRUPTED',
    message: `Step "${ids.step}" was waiting when the run failed; it was not tried again`,
    retryable: false,
  };
  return {
    step: { ...rest, status: 'failed', error, endedAt: at() },
    events: [
      {
        type: 'step.ended',
        runId: RUN,
        flow: FLOW,
        step: ids.step,
        status: 'failed',
        durationMs: NOW - Date.parse(base.startedAt!),
        error,
      },
    ],
  } as PlannedWrite;
}

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const delayDue = runOf(
  flow,
  { wait: { ...STARTED, wakeAt: at(-10) }, after: { status: 'skipped' } },
  compensating,
);
const retryDue = runOf(
  flow,
  {
    wait: failed(),
    pay: {
      ...STARTED,
      attempts: [{ action: 'svc.pay', route: 0, startedAt: at(-900), endedAt: at(-800), error: boom }],
      routeAttempts: 1,
      wakeAt: at(-5),
    },
  },
  compensating,
);
const fannedOut = runOf(
  flow,
  { ship: { ...STARTED, items: { total: 3, succeeded: 0, failed: 0 } } },
  compensating,
);
const notFannedOut = runOf(flow, { ship: STARTED }, compensating);
const neverAttempted = runOf(flow, { pay: STARTED, ship: failed() }, compensating);

const cases: Case[] = [
  {
    name: "a delay's due task after the run failed ends the step, then the run moves on",
    flow,
    run: delayDue,
    happened: arrived(stepTask('wait', { attempt: 2 })),
    expected: {
      writes: [
        { ...interruptedEnd(recordOf(delayDue, 'wait'), { step: 'wait' }), ifStatus: OPEN, required: true },
      ],
      basedOn: delayDue,
      afterwards: 'changed',
    },
  },
  {
    name: "a retry's due task after the run failed ends the step without another attempt",
    flow,
    run: retryDue,
    happened: arrived(stepTask('pay', { attempt: 2 })),
    expected: {
      writes: [
        { ...interruptedEnd(recordOf(retryDue, 'pay'), { step: 'pay' }), ifStatus: OPEN, required: true },
      ],
      basedOn: retryDue,
      afterwards: 'changed',
    },
  },
  {
    name: 'a started step whose first task comes after the failure is interrupted before its call',
    flow,
    run: neverAttempted,
    happened: arrived(stepTask('pay')),
    expected: {
      writes: [
        {
          ...interruptedEnd(recordOf(neverAttempted, 'pay'), { step: 'pay' }),
          ifStatus: OPEN,
          required: true,
        },
      ],
      basedOn: neverAttempted,
      afterwards: 'changed',
    },
  },
  {
    name: 'a duplicate task behind the parked step does nothing (the expected one interrupts it)',
    flow,
    run: retryDue,
    happened: arrived(stepTask('pay', { attempt: 1 })),
    expected: {},
  },
  {
    name: 'a forEach step not fanned out yet is interrupted by its fan-out task',
    flow,
    run: notFannedOut,
    happened: arrived(stepTask('ship')),
    expected: {
      writes: [
        {
          ...interruptedEnd(recordOf(notFannedOut, 'ship'), { step: 'ship' }),
          ifStatus: OPEN,
          required: true,
        },
      ],
      basedOn: notFannedOut,
      afterwards: 'changed',
    },
  },
  {
    name: 'a fanned-out forEach step ends with its items, not with a late fan-out task',
    flow,
    run: fannedOut,
    happened: arrived(stepTask('ship')),
    expected: {},
  },
  {
    name: "an item's task after the run failed asks for the items first",
    flow,
    run: fannedOut,
    happened: arrived(stepTask('ship', { item: 1 })),
    expected: { ask: { fact: 'items', step: 'ship' } },
  },
  {
    name: 'an item not run yet fails with STEP_INTERRUPTED, without a call, and the items go on ending',
    flow,
    run: fannedOut,
    happened: arrived(stepTask('ship', { item: 1 })),
    facts: { items: [itemOf(0, { status: 'succeeded', output: 1 })] },
    expected: {
      item: {
        step: 'ship',
        record: itemOf(1, {
          status: 'failed',
          error: {
            name: 'NonRetryableError',
            code: 'STEP_INTERRUPTED',
            message: 'Item 1 of step "ship" was not run: the run failed first',
            retryable: false,
          },
        }),
      },
      afterwards: 'item-written',
    },
  },
  {
    name: 'an item that already ended is left as it is',
    flow,
    run: fannedOut,
    happened: arrived(stepTask('ship', { item: 0 })),
    facts: { items: [itemOf(0, { status: 'succeeded', output: 1 })] },
    expected: {},
  },
];

describe('a failed run interrupts its parked steps', () => {
  it.each(cases)('$name', (c) => {
    expect(planOf(c)).toEqual(c.expected);
  });

  it('the failure itself interrupts a step parked well ahead, and leaves one whose wake-up is near', () => {
    const run = runOf(flow, {
      wait: { ...STARTED, wakeAt: at(600_000) },
      pay: { ...STARTED, attempts: [], wakeAt: at(500) },
      ship: failed(),
    });
    const decision = planOf({ flow, run, happened: CHANGED });
    expect(decision.patch?.phase).toBe('compensating');
    expect(decision.writes?.map((w) => [w.step.id, w.step.status, w.step.error?.code, w.ifStatus])).toEqual([
      ['wait', 'failed', 'STEP_INTERRUPTED', ['running']],
      ['after', 'skipped', undefined, ['pending']],
    ]);
    expect(decision.writes?.[0]?.step.wakeAt).toBeUndefined();
  });
});
