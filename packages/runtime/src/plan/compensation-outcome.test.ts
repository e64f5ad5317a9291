import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../model/events';
import type { StepRecord } from '../model/run-record';
import {
  attemptOf,
  called,
  callFailed,
  callSucceeded,
  compensateTask,
  errorOf,
  FLOW,
  failed,
  flowOf,
  type PlanCase,
  planOf,
  RUN,
  recordOf,
  runOf,
  serialized,
  succeeded,
} from './_test-plan';
import type { Decision } from './decision';

/** A compensation's call came back: compensated, retried under its own policy, or recorded failed (compensation.ts). */

const flow = flowOf({
  steps: [
    {
      id: 'hold',
      action: 'bank.hold',
      retry: { initialInterval: '5s' },
      compensate: { action: 'bank.release', retry: { maxAttempts: 2, initialInterval: '200ms' } },
    },
    { id: 'charge', action: 'pay.charge' },
  ],
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const error = { ...serialized(errorOf('CARD_DECLINED')), message: 'Step "charge" failed: boom' };
const releaseFailed = serialized(errorOf('GONE', { message: 'hold expired' }));
const toUndo = runOf(flow, { hold: succeeded(), charge: failed() }, { phase: 'compensating', error });
const underWay = (attempts: number) =>
  runOf(
    flow,
    {
      hold: {
        ...succeeded(),
        compensation: {
          status: 'running',
          action: 'bank.release',
          attempts: Array.from({ length: attempts }, () =>
            attemptOf('bank.release', { error: releaseFailed }),
          ),
        },
      },
      charge: failed(),
    },
    { phase: 'compensating', error },
  );

const hold = (run: typeof toUndo) => recordOf(run, 'hold');
const retryable = errorOf('UPSTREAM', { message: 'try later', retryable: true });
const rateLimited = errorOf('RATE_LIMITED', { retryable: true, retryAfterMs: 3000 });
const ended = (
  status: 'succeeded' | 'failed',
  extra: { error?: NonNullable<StepRecord['error']> } = {},
): EngineEvent => ({
  type: 'compensation.ended',
  runId: RUN,
  flow: FLOW,
  step: 'hold',
  status,
  ...extra,
});

const outcomeCases: Array<Omit<Case, 'flow'>> = [
  {
    name: 'a compensation that succeeded marks the step compensated',
    run: toUndo,
    happened: called(compensateTask('hold'), callSucceeded('bank.release', { released: true })),
    expected: {
      writes: [
        {
          step: {
            ...hold(toUndo),
            status: 'compensated',
            compensation: {
              status: 'succeeded',
              action: 'bank.release',
              attempts: [attemptOf('bank.release')],
            },
          },
          required: true,
          events: [ended('succeeded')],
        },
      ],
      afterwards: 'changed',
    },
  },
  {
    name: "one that failed is retried under the compensation's own policy, not the step's",
    run: toUndo,
    happened: called(compensateTask('hold'), callFailed('bank.release', retryable)),
    expected: {
      writes: [
        {
          step: {
            ...hold(toUndo),
            compensation: {
              status: 'running',
              action: 'bank.release',
              attempts: [attemptOf('bank.release', { error: serialized(retryable) })],
            },
          },
        },
      ],
      tasks: [compensateTask('hold', 2)],
      delayMs: 200,
    },
  },
  {
    name: 'its retry waits at least the Retry-After it was given',
    run: toUndo,
    happened: called(compensateTask('hold'), callFailed('bank.release', rateLimited)),
    expected: {
      writes: [
        {
          step: {
            ...hold(toUndo),
            compensation: {
              status: 'running',
              action: 'bank.release',
              attempts: [attemptOf('bank.release', { error: serialized(rateLimited) })],
            },
          },
        },
      ],
      tasks: [compensateTask('hold', 2)],
      delayMs: 3000,
    },
  },
  {
    name: 'one that failed its last attempt is recorded failed; the step stays succeeded and the run moves on',
    run: underWay(1),
    happened: called(compensateTask('hold', 2), callFailed('bank.release', retryable)),
    expected: {
      writes: [
        {
          step: {
            ...hold(underWay(1)),
            status: 'succeeded',
            compensation: {
              status: 'failed',
              action: 'bank.release',
              attempts: [
                attemptOf('bank.release', { error: releaseFailed }),
                attemptOf('bank.release', { error: serialized(retryable) }),
              ],
              error: serialized(retryable),
            },
          },
          required: true,
          events: [ended('failed', { error: serialized(retryable) })],
        },
      ],
      afterwards: 'changed',
    },
  },
];

describe('compensation outcomes', () => {
  it.each(outcomeCases)('$name', ({ expected, ...c }) => {
    expect(planOf({ ...c, flow })).toEqual(expected);
  });

  it('a non-retryable failure is not retried', () => {
    const decision = planOf({
      flow,
      run: toUndo,
      happened: called(compensateTask('hold'), callFailed('bank.release', errorOf('GONE'))),
    });
    expect(decision.tasks).toBeUndefined();
    expect(decision.writes?.[0]?.step.compensation?.status).toBe('failed');
    expect(decision.writes?.[0]?.step.status).toBe('succeeded');
  });
});
