import { describe, expect, it } from 'vitest';
import {
  at,
  CHANGED,
  errorOf,
  failed,
  flowOf,
  type PlanCase,
  planOf,
  recordOf,
  runOf,
  STARTED,
  serialized,
  startWrite,
  stepTask,
  succeeded,
} from './_test-plan';
import type { Decision, PlannedWrite } from './decision';

/** The rules of continueOnError, of a run turning to failure, and of onFailure (failure.ts, advance.ts). */

const flow = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'note', action: 'svc.note', needs: ['a'], continueOnError: true },
    { id: 'b', action: 'svc.b', needs: ['a'] },
    { id: 'c', action: 'svc.c', needs: ['note'] },
    { id: 'd', action: 'svc.d', needs: ['b'] },
  ],
  onFailure: [
    { id: 'page', action: 'ops.page' },
    { id: 'log', action: 'ops.log' },
  ],
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const declined = serialized(errorOf('CARD_DECLINED', { message: 'declined' }));
const timeout = serialized(errorOf('TIMEOUT', { message: 'too slow', retryable: true }));

const noteFailed = runOf(flow, { a: succeeded(-900), note: failed(declined), b: succeeded() });
const bFailed = runOf(flow, { a: succeeded(-900), note: STARTED, b: failed(declined) });
const bothFailed = runOf(flow, { a: succeeded(-900), note: failed(timeout), b: failed(declined) });

const skip = (run: typeof bFailed, id: string): PlannedWrite => ({
  step: { ...recordOf(run, id), status: 'skipped', skipReason: 'the run failed', endedAt: at() },
  ifStatus: ['pending'],
});

const mainCases: Case[] = [
  {
    name: 'a step that failed with continueOnError lets the steps that need it start',
    flow,
    run: noteFailed,
    happened: CHANGED,
    expected: {
      writes: [startWrite(noteFailed, 'c', 'svc.c'), startWrite(noteFailed, 'd', 'svc.d')],
      afterwards: 'changed',
    },
  },
  {
    name: 'a step that failed without it turns the run to compensating, and skips the pending main steps',
    flow,
    run: bFailed,
    happened: CHANGED,
    queued: [stepTask('note')],
    expected: {
      patch: {
        phase: 'compensating',
        error: { ...declined, message: 'Step "b" failed: declined' },
      },
      writes: [skip(bFailed, 'c'), skip(bFailed, 'd')],
      afterwards: 'changed',
    },
  },
  {
    name: "the run's error is the first failure that does not let the run go on",
    flow,
    run: bothFailed,
    happened: CHANGED,
    expected: {
      patch: { phase: 'compensating', error: { ...declined, message: 'Step "b" failed: declined' } },
      writes: [skip(bothFailed, 'c'), skip(bothFailed, 'd')],
      afterwards: 'changed',
    },
  },
];

describe('continueOnError', () => {
  it.each(mainCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});

const main = { a: succeeded(-900), note: succeeded(-800), b: failed(declined) } as const;
const failing = { phase: 'onFailure', error: { ...declined, message: 'Step "b" failed: declined' } } as const;
const first = runOf(flow, { ...main, c: { status: 'skipped' }, d: { status: 'skipped' } }, failing);
const second = runOf(flow, { ...main, page: succeeded() }, failing);
const afterFailedPage = runOf(flow, { ...main, page: failed(timeout) }, failing);

const onFailureCases: Case[] = [
  {
    name: 'the first onFailure step starts (never handed over: the run is past its main phase)',
    flow,
    run: first,
    happened: CHANGED,
    expected: { writes: [startWrite(first, 'page', 'ops.page')], afterwards: 'changed' },
  },
  {
    name: 'the next waits while the one before runs',
    flow,
    run: runOf(flow, { ...main, page: STARTED }, failing),
    happened: CHANGED,
    queued: [stepTask('page')],
    expected: {},
  },
  {
    name: 'then starts, in the order written',
    flow,
    run: second,
    happened: CHANGED,
    expected: { writes: [startWrite(second, 'log', 'ops.log')], afterwards: 'changed' },
  },
  {
    name: 'an onFailure step that failed does not stop the next',
    flow,
    run: afterFailedPage,
    happened: CHANGED,
    expected: { writes: [startWrite(afterFailedPage, 'log', 'ops.log')], afterwards: 'changed' },
  },
  {
    name: 'once every onFailure step ended, the run ends failed (its error is already recorded)',
    flow,
    run: runOf(flow, { ...main, page: failed(timeout), log: succeeded() }, failing),
    happened: CHANGED,
    expected: { end: { status: 'failed' } },
  },
];

describe('onFailure', () => {
  it.each(onFailureCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});
