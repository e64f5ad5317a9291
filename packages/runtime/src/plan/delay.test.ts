import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../model/run-record';
import {
  arrived,
  at,
  FLOW,
  flowOf,
  NOW,
  type PlanCase,
  planOf,
  RUN,
  recordOf,
  runOf,
  STARTED,
  startWrite,
  stepTask,
} from './_test-plan';
import type { Decision } from './decision';

/** The rule of delay steps: park until the time to wake, then succeed (delay.ts). */

const fixed = flowOf({
  steps: [
    { id: 'wait', delay: '10m' },
    { id: 'after', action: 'svc.after' },
  ],
});
const until = flowOf({
  steps: [
    { id: 'wait', delay: { until: '{{ event.data.startAt }}' } },
    { id: 'after', action: 'svc.after' },
  ],
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const OPEN = ['pending', 'running', 'waiting'] as const;
const TEN_MINUTES = 600_000;
const first = runOf(fixed, { wait: STARTED });
const parkedUntil = (flow: typeof fixed, ms: number) => runOf(flow, { wait: { ...STARTED, wakeAt: at(ms) } });

/**
 * What parking "wait" of `run` for `ms` from NOW decides, the next task
 * being attempt `attempt`: the run waits with it, in the same write.
 */
function parks(ms: number, attempt: number, run: RunRecord = first): Decision {
  return {
    status: 'waiting',
    basedOn: run,
    writes: [
      {
        step: { ...recordOf(first, 'wait'), wakeAt: at(ms) },
        ifStatus: OPEN,
        required: true,
      },
    ],
    events: [{ type: 'step.waiting', runId: RUN, flow: FLOW, step: 'wait', untilMs: ms }],
    tasks: [stepTask('wait', { attempt })],
    delayMs: ms,
    afterwards: 'settle',
  };
}

/** What waking "wait" decides when it was due at `dueMs` from NOW: it succeeds, "after" starts. */
function wakes(run: typeof first, dueMs: number): Decision {
  const { wakeAt: _due, ...open } = recordOf(run, 'wait');
  return {
    writes: [
      {
        step: {
          ...open,
          status: 'succeeded',
          output: { waitedUntil: at(dueMs) },
          endedAt: at(),
        },
        ifStatus: OPEN,
        required: true,
        events: [
          { type: 'step.ended', runId: RUN, flow: FLOW, step: 'wait', status: 'succeeded', durationMs: 1000 },
        ],
      },
      startWrite(run, 'after', 'svc.after'),
    ],
    basedOn: run,
    runNext: stepTask('after'),
    afterwards: 'settle',
  };
}

/** What a delay.until that gave no date decides: "wait" fails with DELAY_UNTIL_INVALID. */
function invalid(run: typeof first, why: string): Decision {
  const error = {
    name: 'NonRetryableError',
    code: 'DELAY_UNTIL_INVALID',
    message: `Step "wait": delay.until did not give a date (${why})`,
    retryable: false,
  };
  return {
    writes: [
      {
        step: { ...recordOf(run, 'wait'), status: 'failed', error, endedAt: at() },
        ifStatus: OPEN,
        required: true,
        events: [
          {
            type: 'step.ended',
            runId: RUN,
            flow: FLOW,
            step: 'wait',
            status: 'failed',
            durationMs: 1000,
            error,
          },
        ],
      },
    ],
    basedOn: run,
    afterwards: 'changed',
  };
}

const untilFirst = runOf(until, { wait: STARTED });

const cases: Case[] = [
  {
    name: 'a fixed delay parks the step until then, with a task delayed as long',
    flow: fixed,
    run: first,
    happened: arrived(stepTask('wait')),
    expected: parks(TEN_MINUTES, 2),
  },
  {
    name: 'its task, due, ends the step with the time it waited until',
    flow: fixed,
    run: parkedUntil(fixed, 0),
    happened: arrived(stepTask('wait', { attempt: 2 })),
    expected: wakes(parkedUntil(fixed, 0), 0),
  },
  {
    name: 'a timer up to 5 ms early still wakes it',
    flow: fixed,
    run: parkedUntil(fixed, 5),
    happened: arrived(stepTask('wait', { attempt: 2 })),
    expected: wakes(parkedUntil(fixed, 5), 5),
  },
  {
    name: 'a timer 6 ms early parks it again for the rest',
    flow: fixed,
    run: parkedUntil(fixed, 6),
    happened: arrived(stepTask('wait', { attempt: 2 })),
    expected: parks(6, 3, parkedUntil(fixed, 6)),
  },
  {
    name: 'a first task delivered again keeps the time to wake the record holds',
    flow: fixed,
    run: parkedUntil(fixed, 500_000),
    happened: arrived(stepTask('wait')),
    expected: parks(500_000, 2, parkedUntil(fixed, 500_000)),
  },
  {
    name: 'delay.until is asked for, on the run',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    expected: { ask: { fact: 'delayUntil', step: 'wait', run: untilFirst } },
  },
  {
    name: 'an ISO date to come parks the step until it',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    facts: { delayUntil: { value: at(90_000) } },
    expected: parks(90_000, 2, untilFirst),
  },
  {
    name: 'milliseconds since 1970 count as a date',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    facts: { delayUntil: { value: NOW + 30_000 } },
    expected: parks(30_000, 2, untilFirst),
  },
  {
    name: 'a date past ends the wait at once',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    facts: { delayUntil: { value: at(-3_600_000) } },
    expected: wakes(untilFirst, -3_600_000),
  },
  {
    name: 'a value that is not a date fails the step with DELAY_UNTIL_INVALID',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    facts: { delayUntil: { value: 'soon' } },
    expected: invalid(untilFirst, '"soon"'),
  },
  {
    name: 'so does nothing at all',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    facts: { delayUntil: { value: null } },
    expected: invalid(untilFirst, 'null'),
  },
  {
    name: 'and an expression that failed, saying why',
    flow: until,
    run: untilFirst,
    happened: arrived(stepTask('wait')),
    facts: { delayUntil: { error: 'Expression failed: boom' } },
    expected: invalid(untilFirst, 'Expression failed: boom'),
  },
];

describe('delays', () => {
  it.each(cases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});
