import { describe, expect, it } from 'vitest';
import {
  arrived,
  at,
  CHANGED,
  called,
  callSucceeded,
  compensateTask,
  errorOf,
  FLOW,
  flowOf,
  type PlanCase,
  planOf,
  RUN,
  recordOf,
  runOf,
  STARTED,
  serialized,
  startWrite,
  stepTask,
  succeeded,
} from './_test-plan';
import type { Decision, Happening } from './decision';

/** A run's start, its flow timeout, its output and its end (plan.ts, advance.ts, status.ts). */

const timed = flowOf({
  timeout: '1m',
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'b', action: 'svc.b' },
  ],
  onFailure: [{ id: 'page', action: 'ops.page' }],
});

const withOutput = flowOf({
  steps: [{ id: 'a', action: 'svc.a' }],
  output: { total: '{{ steps.a.output.total }}' },
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const queued = runOf(timed, {}, { status: 'queued' });
const startedRun = runOf(timed);
const midway = runOf(timed, { a: succeeded(), b: STARTED });
const allDone = runOf(withOutput, { a: succeeded(-500, { total: 42 }) });
const succeededRun = runOf(timed, { a: succeeded(-900), b: succeeded() });

const flowTimeout = {
  name: 'NonRetryableError',
  code: 'FLOW_TIMEOUT',
  message: 'The run lasted longer than the flow timeout (1m)',
  retryable: false,
};

const cases: Case[] = [
  {
    name: 'a start task starts a queued run and queues the flow timeout, delayed by it',
    flow: timed,
    run: queued,
    happened: arrived({ kind: 'start', run: RUN }),
    expected: {
      patch: { status: 'running', startedAt: at() },
      events: [{ type: 'run.started', runId: RUN, flow: FLOW }],
      tasks: [{ kind: 'timeout', run: RUN }],
      delayMs: 60_000,
      afterwards: 'changed',
    },
  },
  {
    name: 'a start task without a flow timeout queues nothing',
    flow: withOutput,
    run: runOf(withOutput, {}, { status: 'queued' }),
    happened: arrived({ kind: 'start', run: RUN }),
    expected: {
      patch: { status: 'running', startedAt: at() },
      events: [{ type: 'run.started', runId: RUN, flow: FLOW }],
      afterwards: 'changed',
    },
  },
  {
    name: 'a start task delivered again moves the started run on',
    flow: timed,
    run: startedRun,
    happened: arrived({ kind: 'start', run: RUN }),
    expected: {
      writes: [startWrite(startedRun, 'a', 'svc.a')],
      runNext: stepTask('a'),
      afterwards: 'changed',
    },
  },
  {
    name: 'the timeout task in the main phase fails the run with FLOW_TIMEOUT',
    flow: timed,
    run: midway,
    happened: arrived({ kind: 'timeout', run: RUN }),
    // Only main steps that never started are skipped: "page" runs later.
    expected: { patch: { phase: 'compensating', error: flowTimeout }, writes: [], afterwards: 'changed' },
  },
  {
    name: 'the timeout task skips the main steps that never started',
    flow: timed,
    run: startedRun,
    happened: arrived({ kind: 'timeout', run: RUN }),
    expected: {
      patch: { phase: 'compensating', error: flowTimeout },
      writes: [
        {
          step: {
            ...recordOf(startedRun, 'a'),
            status: 'skipped',
            skipReason: 'the run failed',
            endedAt: at(),
          },
          ifStatus: ['pending'],
        },
        {
          step: {
            ...recordOf(startedRun, 'b'),
            status: 'skipped',
            skipReason: 'the run failed',
            endedAt: at(),
          },
          ifStatus: ['pending'],
        },
      ],
      afterwards: 'changed',
    },
  },
  ...(['compensating', 'onFailure'] as const).map((phase) => ({
    name: `the timeout task after the main phase (${phase}) does nothing`,
    flow: timed,
    run: runOf(timed, { a: succeeded() }, { phase }),
    happened: arrived({ kind: 'timeout', run: RUN }),
    expected: {},
  })),
  {
    name: 'once every main step ended, the output is asked for on the run',
    flow: withOutput,
    run: allDone,
    happened: CHANGED,
    expected: { ask: { fact: 'output', run: allDone } },
  },
  {
    name: 'the output computed ends the run succeeded with it',
    flow: withOutput,
    run: allDone,
    happened: CHANGED,
    facts: { output: { value: { total: 42 } } },
    expected: { writes: [], end: { status: 'succeeded', output: { total: 42 } } },
  },
  {
    name: 'an output that cannot be computed fails the run with OUTPUT_EXPRESSION_FAILED',
    flow: withOutput,
    run: allDone,
    happened: CHANGED,
    facts: { output: { error: 'Expression failed: x is not a function' } },
    expected: {
      patch: {
        phase: 'compensating',
        error: {
          name: 'NonRetryableError',
          code: 'OUTPUT_EXPRESSION_FAILED',
          message: 'The flow output could not be computed: Expression failed: x is not a function',
          retryable: false,
        },
      },
      writes: [],
      afterwards: 'changed',
    },
  },
  {
    name: 'a run that succeeded skips its onFailure steps, then ends',
    flow: timed,
    run: succeededRun,
    happened: CHANGED,
    expected: {
      writes: [
        {
          step: {
            ...recordOf(succeededRun, 'page'),
            status: 'skipped',
            skipReason: 'the run succeeded',
            endedAt: at(),
          },
          ifStatus: ['pending'],
        },
      ],
      end: { status: 'succeeded' },
    },
  },
  {
    name: 'a run whose flow is no longer loaded fails with FLOW_REMOVED',
    flow: undefined,
    run: midway,
    happened: arrived(stepTask('b')),
    expected: {
      end: {
        status: 'failed',
        error: {
          name: 'NonRetryableError',
          code: 'FLOW_REMOVED',
          message: `Flow "${FLOW}" is no longer loaded`,
          retryable: false,
        },
      },
    },
  },
  {
    name: 'a call that comes back after its flow was removed does nothing',
    flow: undefined,
    run: midway,
    happened: called(stepTask('b'), callSucceeded('svc.b', {})),
    expected: {},
  },
  {
    name: 'a task Baton gave up on ends its run failed with that error',
    flow: timed,
    run: midway,
    happened: { kind: 'task-failed', error: serialized(errorOf('TASK_FAILED', { message: 'gave up' })) },
    expected: {
      end: {
        status: 'failed',
        error: { name: 'BatonError', code: 'TASK_FAILED', message: 'gave up', retryable: false },
      },
    },
  },
];

describe('start, flow timeout, output and end', () => {
  it.each(cases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});

const everyHappening: Array<[string, Happening]> = [
  ['start', arrived({ kind: 'start', run: RUN })],
  ['step', arrived(stepTask('b'))],
  ['handed-over step', arrived(stepTask('b'), true)],
  ['compensate', arrived(compensateTask('a'))],
  ['timeout', arrived({ kind: 'timeout', run: RUN })],
  ['called', called(stepTask('b'), callSucceeded('svc.b', {}))],
  ['changed', CHANGED],
  ['task-failed', { kind: 'task-failed', error: serialized(errorOf('TASK_FAILED')) }],
];

describe.each(['cancelled', 'failed', 'succeeded'] as const)('a %s run', (status) => {
  const ended = runOf(timed, { a: succeeded(), b: STARTED }, { status, phase: 'done' });
  it.each(everyHappening)('does nothing on %s', (_, happened) => {
    expect(planOf({ flow: timed, run: ended, happened })).toEqual({});
    expect(planOf({ flow: undefined, run: ended, happened })).toEqual({});
  });
});

describe('the run status follows its steps (settle)', () => {
  const parkedUntil = (ms: number) => ({ status: 'running' as const, startedAt: at(-1000), wakeAt: at(ms) });
  const retrying = { ...parkedUntil(0), attempts: [], routeAttempts: 1 };
  it.each([
    [
      'every running step parked: waiting',
      'running',
      { a: parkedUntil(5000) },
      { patch: { status: 'waiting' } },
    ],
    [
      'a running step not parked: running',
      'waiting',
      { a: succeeded(), b: STARTED },
      { patch: { status: 'running' } },
    ],
    [
      'a step whose wake time passed: running',
      'waiting',
      { a: { ...retrying, wakeAt: at(-1) } },
      { patch: { status: 'running' } },
    ],
    ['already as it should be: nothing', 'waiting', { a: parkedUntil(5000) }, {}],
  ] as const)('%s', (_, status, records, expected) => {
    const run = runOf(timed, records, { status });
    expect(planOf({ flow: timed, run, happened: CHANGED, queued: [stepTask('a'), stepTask('b')] })).toEqual(
      expected,
    );
  });
});
