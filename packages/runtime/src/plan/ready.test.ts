import { describe, expect, it } from 'vitest';
import {
  at,
  CHANGED,
  flowOf,
  type PlanCase,
  planOf,
  runOf,
  STARTED,
  skipWrite,
  startWrite,
  stepTask,
  succeeded,
} from './_test-plan';
import type { Decision } from './decision';

/** The rule of `needs` (ready.ts), heard as the run changed. */

const line = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'b', action: 'svc.b' },
  ],
});

const diamond = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'b', action: 'svc.b', needs: ['a'] },
    { id: 'c', action: 'svc.c', needs: ['a'] },
    { id: 'd', action: 'svc.d', needs: ['b', 'c'] },
  ],
});

const roots = flowOf({
  steps: [
    { id: 'x', action: 'svc.x', needs: [] },
    { id: 'y', action: 'svc.y', needs: [] },
  ],
});

// The same flow after a deploy added "extra", which "b" now needs too.
const before = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'b', action: 'svc.b', needs: ['a'] },
  ],
});
const after = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'extra', action: 'svc.extra', needs: [] },
    { id: 'b', action: 'svc.b', needs: ['a', 'extra'] },
  ],
});

interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

const fanOut = runOf(diamond, { a: succeeded() });
const fanIn = runOf(diamond, {
  a: succeeded(-900),
  b: succeeded(),
  c: { status: 'skipped', skipReason: 'condition is false', endedAt: at(-800) },
});
const bothRoots = runOf(roots);
const oldRun = runOf(before, { a: succeeded() });
const oldRunDone = runOf(before, { a: succeeded(-900), b: succeeded() });

const needsCases: Case[] = [
  {
    name: 'a step without needs waits for the step before it',
    flow: line,
    run: runOf(line, { a: STARTED }),
    happened: CHANGED,
    queued: [stepTask('a')],
    expected: {},
  },
  {
    name: 'the steps a finished step makes ready start together, none handed over',
    flow: diamond,
    run: fanOut,
    happened: CHANGED,
    expected: {
      writes: [startWrite(fanOut, 'b', 'svc.b'), startWrite(fanOut, 'c', 'svc.c')],
      afterwards: 'changed',
    },
  },
  {
    name: 'a fan-in waits while one of its needs runs',
    flow: diamond,
    run: runOf(diamond, { a: succeeded(-900), b: succeeded(), c: STARTED }),
    happened: CHANGED,
    queued: [stepTask('c')],
    expected: {},
  },
  {
    name: 'a fan-in starts once every need ended (skipped counts), handed over as the one running step',
    flow: diamond,
    run: fanIn,
    happened: CHANGED,
    expected: {
      writes: [startWrite(fanIn, 'd', 'svc.d')],
      runNext: stepTask('d'),
      afterwards: 'changed',
    },
  },
  {
    name: '"needs": [] starts every such step at once',
    flow: roots,
    run: bothRoots,
    happened: CHANGED,
    expected: {
      writes: [startWrite(bothRoots, 'x', 'svc.x'), startWrite(bothRoots, 'y', 'svc.y')],
      afterwards: 'changed',
    },
  },
  {
    name: 'a step added to the flow after the run started does not block the steps that need it',
    flow: after,
    run: oldRun,
    happened: CHANGED,
    expected: { writes: [startWrite(oldRun, 'b', 'svc.b')], runNext: stepTask('b'), afterwards: 'changed' },
  },
  {
    name: 'nor the end of the run',
    flow: after,
    run: oldRunDone,
    happened: CHANGED,
    expected: { writes: [], end: { status: 'succeeded' } },
  },
];

describe('needs', () => {
  it.each(needsCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});

const guarded = flowOf({
  steps: [
    { id: 'a', action: 'svc.a' },
    { id: 'b', action: 'svc.b', needs: ['a'], if: '{{ steps.a.output.ok }}' },
    { id: 'c', action: 'svc.c', needs: ['a'], if: '{{ steps.a.output.ok }}' },
    { id: 'd', action: 'svc.d', needs: ['b', 'c'] },
  ],
});
const ready = runOf(guarded, { a: succeeded() });
const bothSkipped = runOf(guarded, {
  a: succeeded(-900),
  b: { status: 'skipped', skipReason: 'condition is false' },
  c: { status: 'skipped', skipReason: 'condition is false' },
});

const conditionCases: Case[] = [
  {
    name: 'the conditions of every ready step are asked for at once, on the run as it is',
    flow: guarded,
    run: ready,
    happened: CHANGED,
    expected: { ask: { fact: 'conditions', steps: ['b', 'c'], run: ready } },
  },
  {
    // Regression: whether a condition was evaluated is the presence of its reason, not a flag:
    // an undefined reason (the condition holds) must start the step, not ask again.
    name: 'conditions that hold start their steps',
    flow: guarded,
    run: ready,
    happened: CHANGED,
    facts: {
      conditions: new Map([
        ['b', undefined],
        ['c', undefined],
      ]),
    },
    expected: {
      writes: [startWrite(ready, 'b', 'svc.b'), startWrite(ready, 'c', 'svc.c')],
      afterwards: 'changed',
    },
  },
  {
    name: 'a false condition skips its step with the reason; the other, alone, is handed over',
    flow: guarded,
    run: ready,
    happened: CHANGED,
    facts: {
      conditions: new Map([
        ['b', 'condition is false'],
        ['c', undefined],
      ]),
    },
    expected: {
      writes: [skipWrite(ready, 'b', 'condition is false'), startWrite(ready, 'c', 'svc.c')],
      runNext: stepTask('c'),
      afterwards: 'changed',
    },
  },
  {
    name: 'a condition that failed to evaluate skips its step, saying why',
    flow: guarded,
    run: ready,
    happened: CHANGED,
    facts: {
      conditions: new Map([
        ['b', 'condition failed: Expression "x(" is not valid'],
        ['c', 'condition is false'],
      ]),
    },
    expected: {
      writes: [
        skipWrite(ready, 'b', 'condition failed: Expression "x(" is not valid'),
        skipWrite(ready, 'c', 'condition is false'),
      ],
      afterwards: 'changed',
    },
  },
  {
    // Regression: reasons gathered for some steps are no answer for another that is ready too.
    name: 'a ready step whose reason is missing is asked for, alone',
    flow: guarded,
    run: ready,
    happened: CHANGED,
    facts: { conditions: new Map([['b', undefined]]) },
    expected: { ask: { fact: 'conditions', steps: ['c'], run: ready } },
  },
  {
    name: 'skipped steps make their dependents ready in the next plan',
    flow: guarded,
    run: bothSkipped,
    happened: CHANGED,
    expected: {
      writes: [startWrite(bothSkipped, 'd', 'svc.d')],
      runNext: stepTask('d'),
      afterwards: 'changed',
    },
  },
];

describe('if', () => {
  it.each(conditionCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});
