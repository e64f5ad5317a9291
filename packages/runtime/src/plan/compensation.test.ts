import { describe, expect, it } from 'vitest';
import {
  arrived,
  attemptOf,
  CHANGED,
  compensateTask,
  errorOf,
  FLOW,
  failed,
  flowOf,
  type PlanCase,
  planOf,
  type Records,
  RUN,
  runOf,
  STARTED,
  serialized,
  succeeded,
} from './_test-plan';
import type { Decision } from './decision';

/** The rule of compensation: its order, one at a time, and its tasks (failure.ts, compensation.ts). */

const flow = flowOf({
  steps: [
    { id: 'reserve', action: 'stock.reserve', needs: [], compensate: { action: 'stock.release' } },
    {
      id: 'hold',
      action: 'bank.hold',
      needs: [],
      retry: { initialInterval: '5s' },
      compensate: { action: 'bank.release', retry: { maxAttempts: 2, initialInterval: '200ms' } },
    },
    { id: 'notify', action: 'mail.send', needs: [] },
    { id: 'charge', action: 'pay.charge', needs: ['reserve', 'hold'], compensate: { action: 'pay.refund' } },
  ],
  onFailure: [{ id: 'page', action: 'ops.page' }],
});

const error = { ...serialized(errorOf('CARD_DECLINED')), message: 'Step "charge" failed: boom' };
const compensating = (records: Records) => runOf(flow, records, { phase: 'compensating', error });
const releaseFailed = serialized(errorOf('GONE', { message: 'hold expired' }));

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const orderCases: Array<Omit<Case, 'flow' | 'happened'>> = [
  {
    name: 'the latest finished is compensated first',
    run: compensating({
      reserve: succeeded(-500),
      hold: succeeded(-900),
      notify: succeeded(),
      charge: failed(),
    }),
    expected: { tasks: [compensateTask('reserve')] },
  },
  {
    name: 'flow order breaks a tie, the later step first',
    run: compensating({ reserve: succeeded(-500), hold: succeeded(-500), charge: failed() }),
    expected: { tasks: [compensateTask('hold')] },
  },
  {
    name: 'nothing is compensated while a main step still runs',
    run: compensating({ reserve: succeeded(-500), hold: succeeded(-900), notify: STARTED, charge: failed() }),
    expected: {},
  },
  {
    name: 'one at a time: a compensation under way already has its task',
    run: compensating({
      reserve: succeeded(-900),
      hold: {
        ...succeeded(-500),
        compensation: { status: 'running', action: 'bank.release', attempts: [attemptOf('bank.release')] },
      },
      charge: failed(),
    }),
    expected: {},
  },
  {
    name: 'once one is compensated, the next',
    run: compensating({
      reserve: {
        ...succeeded(-500),
        status: 'compensated',
        compensation: {
          status: 'succeeded',
          action: 'stock.release',
          attempts: [attemptOf('stock.release')],
        },
      },
      hold: succeeded(-900),
      charge: failed(),
    }),
    expected: { tasks: [compensateTask('hold')] },
  },
  {
    name: 'a compensation that failed for good is recorded and the run moves on',
    run: compensating({
      reserve: succeeded(-900),
      hold: {
        ...succeeded(-500),
        compensation: { status: 'failed', action: 'bank.release', attempts: [], error: releaseFailed },
      },
      charge: failed(),
    }),
    expected: { tasks: [compensateTask('reserve')] },
  },
  {
    name: 'once none is left (failed, skipped and uncompensatable steps are left as they are), onFailure',
    run: compensating({
      reserve: { status: 'skipped' },
      hold: {
        ...succeeded(-500),
        compensation: { status: 'failed', action: 'bank.release', attempts: [], error: releaseFailed },
      },
      notify: succeeded(),
      charge: failed(),
    }),
    expected: { patch: { phase: 'onFailure' }, afterwards: 'changed' },
  },
];

describe('the order of compensations', () => {
  it.each(orderCases)('$name', ({ expected, ...c }) => {
    expect(planOf({ ...c, flow, happened: CHANGED })).toEqual(expected);
  });
});

const toUndo = compensating({ reserve: succeeded(-900), hold: succeeded(-500), charge: failed() });
const underWay = (attempts: number) =>
  compensating({
    reserve: succeeded(-900),
    hold: {
      ...succeeded(-500),
      compensation: {
        status: 'running',
        action: 'bank.release',
        attempts: Array.from({ length: attempts }, () => attemptOf('bank.release', { error: releaseFailed })),
      },
    },
    charge: failed(),
  });

const taskCases: Array<Omit<Case, 'flow'>> = [
  {
    name: 'its first task calls the compensation and says it started',
    run: toUndo,
    happened: arrived(compensateTask('hold')),
    expected: {
      events: [
        { type: 'compensation.started', runId: RUN, flow: FLOW, step: 'hold', action: 'bank.release' },
      ],
      call: { task: compensateTask('hold') },
    },
  },
  {
    name: 'a retry calls it again, silently',
    run: underWay(1),
    happened: arrived(compensateTask('hold', 2)),
    expected: { call: { task: compensateTask('hold', 2) } },
  },
  {
    name: 'a task behind the record queues the attempt the record expects',
    run: underWay(2),
    happened: arrived(compensateTask('hold', 1)),
    expected: { tasks: [compensateTask('hold', 3)] },
  },
  {
    name: 'a task ahead of the record does nothing',
    run: toUndo,
    happened: arrived(compensateTask('hold', 3)),
    expected: {},
  },
  {
    name: 'a task of a step compensated already does nothing',
    run: compensating({
      reserve: succeeded(),
      hold: { ...succeeded(), status: 'compensated' },
      charge: failed(),
    }),
    happened: arrived(compensateTask('hold')),
    expected: {},
  },
  {
    name: 'a task once the run is past compensating does nothing',
    run: runOf(flow, { reserve: succeeded(), hold: succeeded(), charge: failed() }, { phase: 'onFailure' }),
    happened: arrived(compensateTask('hold')),
    expected: {},
  },
];

describe('compensation tasks', () => {
  it.each(taskCases)('$name', ({ expected, ...c }) => {
    expect(planOf({ ...c, flow })).toEqual(expected);
  });
});
