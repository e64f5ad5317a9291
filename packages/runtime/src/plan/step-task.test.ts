import { describe, expect, it } from 'vitest';
import {
  arrived,
  at,
  attemptOf,
  CHANGED,
  errorOf,
  failed,
  flowOf,
  type PlanCase,
  planOf,
  runOf,
  STARTED,
  serialized,
  startWrite,
  stepTask,
  succeeded,
} from './_test-plan';
import type { Decision } from './decision';

/**
 * A step's task arrived: duplicates heal, a hand-over is checked again, a
 * waiting run wakes (step-task.ts); a started step that lost its task is
 * queued again, and only a step that will run alone is handed over (ready.ts).
 */

const flow = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'b', action: 'svc.b', needs: ['a'] },
    { id: 'side', action: 'svc.side', needs: [] },
  ],
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const upstream = serialized(errorOf('UPSTREAM', { retryable: true }));
/** "a" after `tried` failed attempts of route `route`, parked until `wakeMs` from NOW. */
const retried = (tried: number, wakeMs?: number, route = 0) => ({
  status: 'running' as const,
  startedAt: at(-5000),
  route,
  routeAttempts: tried,
  attempts: Array.from({ length: tried }, () => attemptOf('svc.a', { route, error: upstream })),
  ...(wakeMs !== undefined ? { wakeAt: at(wakeMs) } : {}),
});
const aAlone = runOf(flow, { a: STARTED, side: succeeded() });
const bothRun = runOf(flow, { a: STARTED, side: STARTED });

const taskCases: Array<Omit<Case, 'flow'>> = [
  {
    name: 'the first task of a started step calls its route',
    run: aAlone,
    happened: arrived(stepTask('a')),
    expected: { call: { task: stepTask('a') } },
  },
  {
    name: 'a task handed over to a step still running alone calls its route',
    run: aAlone,
    happened: arrived(stepTask('a'), true),
    expected: { call: { task: stepTask('a') } },
  },
  {
    // Regression: a duplicate task of the run had started another step since the hand-over was
    // decided; running both here ran a step twice. The queue's task ids keep a second copy out.
    name: 'a task handed over while another step of the run runs goes back to the queue',
    run: bothRun,
    happened: arrived(stepTask('a'), true),
    expected: { tasks: [stepTask('a')] },
  },
  {
    name: 'a task from the queue runs beside the others (parallel branches)',
    run: bothRun,
    happened: arrived(stepTask('a')),
    expected: { call: { task: stepTask('a') } },
  },
  {
    name: 'a task of a waiting run turns it running, then is planned again',
    run: runOf(flow, { a: retried(1, 0), side: retried(0, 60_000) }, { status: 'waiting' }),
    happened: arrived(stepTask('a', { attempt: 2 })),
    expected: { patch: { status: 'running' }, afterwards: 'again' },
  },
  {
    name: 'a task of a step that ended plans the run again',
    run: runOf(flow, { a: failed() }),
    happened: arrived(stepTask('a', { attempt: 2 })),
    expected: { afterwards: 'changed' },
  },
  {
    name: 'a task of a step the run has no record of does nothing',
    run: runOf(flowOf({ steps: [{ id: 'side', action: 'svc.side' }] }), { side: STARTED }),
    happened: arrived(stepTask('a')),
    expected: {},
  },
  {
    name: 'a task behind the record queues the attempt it expects, delayed until its wake time',
    run: runOf(flow, { a: retried(2, 3000) }),
    happened: arrived(stepTask('a', { attempt: 2 })),
    expected: { tasks: [stepTask('a', { attempt: 3 })], delayMs: 3000 },
  },
  {
    name: 'at once when the wake time passed',
    run: runOf(flow, { a: retried(2, -10) }),
    happened: arrived(stepTask('a')),
    expected: { tasks: [stepTask('a', { attempt: 3 })] },
  },
  {
    name: 'a task of a route the record left queues the first attempt of its route',
    run: runOf(flow, { a: retried(0, undefined, 1) }),
    happened: arrived(stepTask('a', { attempt: 3 })),
    expected: { tasks: [stepTask('a', { route: 1 })] },
  },
  {
    name: 'a task ahead of the record does nothing',
    run: runOf(flow, { a: retried(1, 0) }),
    happened: arrived(stepTask('a', { attempt: 4 })),
    expected: {},
  },
];

describe('step tasks', () => {
  it.each(taskCases)('$name', ({ expected, ...c }) => {
    expect(planOf({ ...c, flow })).toEqual(expected);
  });
});

const lost = runOf(flow, { a: STARTED, side: succeeded() });
const lostBeside = runOf(flow, { a: STARTED });
const aDone = runOf(flow, { a: succeeded(), side: STARTED });

const readyCases: Array<Omit<Case, 'flow'>> = [
  {
    // Regression: a crash between the start's write and the queue left the step running
    // without a task, and nothing ever ran it.
    name: 'a started step with no attempt and no task queued is queued again',
    run: lost,
    happened: CHANGED,
    expected: { writes: [], tasks: [stepTask('a')], afterwards: 'changed' },
  },
  {
    name: 'not when its task was queued while handling this one',
    run: lost,
    happened: CHANGED,
    queued: [stepTask('a')],
    expected: {},
  },
  {
    name: 'a step parked for a retry has its task: not queued again (the run waits)',
    run: runOf(flow, { a: retried(1, 2000), side: succeeded() }),
    happened: CHANGED,
    expected: { patch: { status: 'waiting' } },
  },
  {
    name: 'queued again beside a start, neither handed over (the start does not run alone)',
    run: lostBeside,
    happened: CHANGED,
    expected: {
      writes: [startWrite(lostBeside, 'side', 'svc.side')],
      tasks: [stepTask('a')],
      afterwards: 'changed',
    },
  },
  {
    name: 'a start beside a running step is not handed over',
    run: aDone,
    happened: CHANGED,
    queued: [stepTask('side')],
    expected: { writes: [startWrite(aDone, 'b', 'svc.b')], afterwards: 'changed' },
  },
];

describe('lost tasks and hand-overs', () => {
  it.each(readyCases)('$name', ({ expected, ...c }) => {
    expect(planOf({ ...c, flow })).toEqual(expected);
  });
});
