import { describe, expect, it } from 'vitest';
import {
  arrived,
  at,
  attemptOf,
  called,
  callSucceeded,
  compensateTask,
  flowOf,
  INPUT,
  NOW,
  planOf,
  recordOf,
  runOf,
  STARTED,
  stepTask,
} from './_test-plan';
import type { Happening, StepTask, ThrottledCall } from './decision';

/** The rule of calls held back by their instance's budget (throttled.ts): back to the queue, not an attempt. */

const flow = flowOf({
  steps: [
    { id: 'call', action: 'api.call' },
    { id: 'each', action: 'api.call', forEach: '{{ [1, 2] }}' },
  ],
});

const held = (waitMs: number, fields: Partial<ThrottledCall> = {}): ThrottledCall => ({
  throttled: true,
  instance: 'api',
  reason: 'rate',
  waitMs,
  throttledAnswers: 0,
  ...fields,
});

const throttled = (task: StepTask | ReturnType<typeof compensateTask>, call: ThrottledCall): Happening => ({
  kind: 'throttled',
  task,
  throttle: call,
});

describe('a call held back by its budget', () => {
  it('goes back to the queue as the next turn of the same attempt, the step record saying what it waits for', () => {
    const run = runOf(flow, { call: STARTED });
    const decision = planOf({ flow, run, happened: throttled(stepTask('call'), held(5000)) });
    expect(decision).toEqual({
      writes: [
        {
          step: {
            ...recordOf(run, 'call'),
            wakeAt: at(5000),
            throttle: { instance: 'api', reason: 'rate', since: at(), until: at(5000), turn: 1 },
          },
          ifStatus: ['pending', 'running', 'waiting'],
          required: true,
        },
      ],
      tasks: [{ ...stepTask('call'), turn: 1, throttled: 0 }],
      delayMs: 5000,
    });
  });

  it('keeps the time it began waiting across turns, and counts the answers the provider throttled', () => {
    const waiting = {
      ...STARTED,
      wakeAt: at(-1),
      throttle: { instance: 'api', reason: 'paused' as const, since: at(-9000), until: at(-1), turn: 2 },
    };
    const run = runOf(flow, { call: waiting });
    const task = { ...stepTask('call'), turn: 2 };
    const decision = planOf({
      flow,
      run,
      happened: throttled(task, held(1500, { reason: 'paused', throttledAnswers: 3 })),
    });
    expect(decision.writes?.[0]?.step.throttle).toEqual({
      instance: 'api',
      reason: 'paused',
      since: at(-9000),
      until: at(1500),
      turn: 3,
    });
    expect(decision.tasks).toEqual([{ ...stepTask('call'), turn: 3, throttled: 3 }]);
  });

  it('a forEach item or a compensation just goes back to the queue', () => {
    const run = runOf(flow, { call: STARTED, each: STARTED });
    expect(planOf({ flow, run, happened: throttled(stepTask('each', { item: 1 }), held(2000)) })).toEqual({
      tasks: [{ ...stepTask('each', { item: 1 }), turn: 1, throttled: 0 }],
      delayMs: 2000,
    });
    expect(planOf({ flow, run, happened: throttled(compensateTask('call'), held(2000)) })).toEqual({
      tasks: [{ ...compensateTask('call'), turn: 1, throttled: 0 }],
      delayMs: 2000,
    });
  });

  it('a task of an older turn is a stale copy: it does nothing', () => {
    const waiting = {
      ...STARTED,
      wakeAt: at(2000),
      throttle: { instance: 'api', reason: 'rate' as const, since: at(-100), until: at(2000), turn: 2 },
    };
    const run = runOf(flow, { call: waiting });
    expect(planOf({ flow, run, happened: arrived({ ...stepTask('call'), turn: 1 }) })).toEqual({});
    expect(planOf({ flow, run, happened: arrived({ ...stepTask('call'), turn: 2 }) })).toEqual({
      call: { task: { ...stepTask('call'), turn: 2 } },
    });
  });

  it('the attempt that finally goes counts its wait from when the step began waiting, and the record forgets the wait', () => {
    const waiting = {
      ...STARTED,
      wakeAt: at(-1),
      throttle: { instance: 'api', reason: 'rate' as const, since: at(-4100), until: at(-1), turn: 1 },
    };
    const run = runOf(flow, { call: waiting });
    const decision = planOf({
      flow,
      run,
      happened: called({ ...stepTask('call'), turn: 1 }, callSucceeded('api.call', { ok: 1 })),
    });
    const ended = decision.writes?.[0]?.step;
    expect(ended?.status).toBe('succeeded');
    expect(ended?.throttle).toBeUndefined();
    expect(ended?.attempts).toEqual([{ ...attemptOf('api.call'), waitedMs: NOW - 100 - (NOW - 4100) }]);
    expect(ended?.input).toEqual(INPUT);
  });
});
