import { describe, expect, it } from 'vitest';
import {
  at,
  attemptOf,
  called,
  callFailed,
  callSucceeded,
  errorOf,
  FLOW,
  flowOf,
  INPUT,
  type PlanCase,
  planOf,
  RUN,
  recordOf,
  runOf,
  STARTED,
  serialized,
  skipWrite,
  startWrite,
  stepTask,
  succeeded,
  withSteps,
} from './_test-plan';
import type { Decision, PlannedWrite } from './decision';

/** A step's call came back: its end in one write with what it makes ready, or a reroute (attempt.ts, end-step.ts). */

const flow = flowOf({
  steps: [
    { id: 'a', action: 'svc.a', needs: [] },
    { id: 'b', action: 'svc.b', needs: ['a'], if: '{{ steps.a.output.ok }}' },
    { id: 'c', action: 'svc.c', needs: ['a'] },
    { id: 'd', action: 'svc.d', needs: ['c'] },
    { id: 'e', action: 'svc.e', needs: ['c'] },
  ],
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const OPEN = ['pending', 'running', 'waiting'] as const;
const output = { ok: true };
const aRuns = runOf(flow, { a: STARTED });
const cRuns = runOf(flow, { a: succeeded(-900), b: { status: 'skipped' }, c: STARTED });
const eRuns = runOf(flow, { a: succeeded(-900), b: succeeded(), c: succeeded(), d: STARTED, e: STARTED });
const bothLeft = runOf(flow, { a: succeeded(-900), b: STARTED, c: STARTED }, { phase: 'compensating' });

/** The end of step `id`, which ran once from a second ago and succeeded with `output` at NOW. */
function endOf(id: string): PlannedWrite {
  return {
    step: {
      id,
      phase: 'main',
      status: 'succeeded',
      attempts: [attemptOf(`svc.${id}`)],
      route: 0,
      routeAttempts: 1,
      startedAt: at(-1000),
      endedAt: at(),
      output,
      servedBy: `svc.${id}`,
      input: INPUT,
    },
    ifStatus: OPEN,
    required: true,
    events: [
      {
        type: 'step.ended',
        runId: RUN,
        flow: FLOW,
        step: id,
        status: 'succeeded',
        servedBy: `svc.${id}`,
        durationMs: 1000,
      },
    ],
  };
}
const ok = (id: string) => called(stepTask(id), callSucceeded(`svc.${id}`, output));
const local = (run: typeof aRuns, id: string) => withSteps(run, { [id]: endOf(id).step });

const successCases: Case[] = [
  {
    name: 'the end and the start it makes ready are one write based on the run; only starts: settle',
    flow,
    run: cRuns,
    happened: ok('c'),
    expected: {
      writes: [endOf('c'), startWrite(cRuns, 'd', 'svc.d'), startWrite(cRuns, 'e', 'svc.e')],
      basedOn: cRuns,
      afterwards: 'settle',
    },
  },
  {
    name: 'the conditions of the steps it makes ready are asked for on the run with the end in it',
    flow,
    run: aRuns,
    happened: ok('a'),
    expected: { ask: { fact: 'conditions', steps: ['b'], run: local(aRuns, 'a') } },
  },
  {
    name: 'a skip among the starts: planned again (changed); the one start, alone, is handed over',
    flow,
    run: aRuns,
    happened: ok('a'),
    facts: { conditions: new Map([['b', 'condition is false']]) },
    expected: {
      writes: [endOf('a'), skipWrite(aRuns, 'b', 'condition is false'), startWrite(aRuns, 'c', 'svc.c')],
      basedOn: aRuns,
      runNext: stepTask('c'),
      afterwards: 'changed',
    },
  },
  {
    name: 'an end that makes nothing ready: planned again (changed)',
    flow,
    run: eRuns,
    happened: ok('e'),
    expected: { writes: [endOf('e')], basedOn: eRuns, afterwards: 'changed' },
  },
  {
    name: 'an end after the run turned to failure starts nothing',
    flow,
    run: bothLeft,
    happened: ok('c'),
    expected: { writes: [endOf('c')], basedOn: bothLeft, afterwards: 'changed' },
  },
];

describe('a call that succeeded', () => {
  it.each(successCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});

const routed = flowOf({
  steps: [
    {
      id: 'pay',
      action: 'pay.charge',
      retry: { maxAttempts: 3 },
      fallback: [{ action: 'backup.charge' }, { action: 'last.charge', retry: { maxAttempts: 1 } }],
    },
  ],
});

const breakerOpen = errorOf('BREAKER_OPEN', {
  message: 'breaker open',
  retryable: true,
  retryAfterMs: 20_000,
});
const upstream = errorOf('UPSTREAM', { message: 'bad gateway', retryable: true });
const declined = errorOf('CARD_DECLINED', { message: 'declined' });

/** The run when route `route` of "pay" had `tried` failed attempts (each with `upstream`). */
function payAt(route: number, tried: number) {
  const earlier = Array.from({ length: tried }, () =>
    attemptOf(['pay.charge', 'backup.charge', 'last.charge'][route]!, { route, error: serialized(upstream) }),
  );
  return runOf(routed, {
    pay: {
      status: 'running',
      startedAt: at(-1000),
      route,
      routeAttempts: tried,
      attempts: earlier,
      input: INPUT,
    },
  });
}

/** What a failed attempt `attempt` of `route` makes of "pay": a reroute to `to`. */
function reroute(
  run: ReturnType<typeof payAt>,
  route: number,
  attempt: number,
  error: typeof upstream,
  to: number,
): Decision {
  const actions = ['pay.charge', 'backup.charge', 'last.charge'];
  const record = recordOf(run, 'pay');
  const stored = serialized(error);
  return {
    writes: [
      {
        step: {
          ...record,
          attempts: [...record.attempts, attemptOf(actions[route]!, { route, error: stored })],
          route: to,
          routeAttempts: 0,
        },
        ifStatus: OPEN,
        required: true,
      },
    ],
    events: [
      {
        type: 'step.attempt-failed',
        runId: RUN,
        flow: FLOW,
        step: 'pay',
        action: actions[route]!,
        attempt,
        error: stored,
      },
      { type: 'step.rerouted', runId: RUN, flow: FLOW, step: 'pay', from: actions[route]!, to: actions[to]! },
    ],
    tasks: [stepTask('pay', { route: to })],
  };
}

const fail = (route: number, attempt: number, error: typeof upstream) =>
  called(
    stepTask('pay', { route, attempt }),
    callFailed(['pay.charge', 'backup.charge', 'last.charge'][route]!, error, { route }),
  );

const routeCases: Case[] = [
  {
    name: 'an open breaker with a fallback reroutes at once, attempts left or not',
    flow: routed,
    run: payAt(0, 0),
    happened: fail(0, 1, breakerOpen),
    expected: reroute(payAt(0, 0), 0, 1, breakerOpen, 1),
  },
  {
    name: 'a route whose attempts are used up reroutes to the next',
    flow: routed,
    run: payAt(0, 2),
    happened: fail(0, 3, upstream),
    expected: reroute(payAt(0, 2), 0, 3, upstream, 1),
  },
  {
    name: 'a non-retryable failure reroutes at once',
    flow: routed,
    run: payAt(1, 0),
    happened: fail(1, 1, declined),
    expected: reroute(payAt(1, 0), 1, 1, declined, 2),
  },
];

describe('fallbacks and breakers', () => {
  it.each(routeCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });

  it('the last route failing fails the step, its error recorded, in one write based on the run', () => {
    const run = payAt(2, 0);
    const record = recordOf(run, 'pay');
    const stored = serialized(upstream);
    const end = {
      ...record,
      status: 'failed',
      attempts: [attemptOf('last.charge', { route: 2, error: stored })],
      routeAttempts: 1,
      error: stored,
      endedAt: at(),
    };
    expect(planOf({ flow: routed, run, happened: fail(2, 1, upstream) })).toEqual({
      writes: [
        {
          step: end,
          ifStatus: OPEN,
          required: true,
          events: [
            {
              type: 'step.ended',
              runId: RUN,
              flow: FLOW,
              step: 'pay',
              status: 'failed',
              durationMs: 1000,
              error: stored,
            },
          ],
        },
      ],
      basedOn: run,
      afterwards: 'changed',
    });
  });
});
