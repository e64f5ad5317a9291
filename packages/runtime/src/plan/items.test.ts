import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../model/events';
import type { StepRecord } from '../model/run-record';
import { type Case, flow, item, shipping } from './_test-items';
import {
  arrived,
  at,
  attemptOf,
  errorOf,
  FLOW,
  itemOf,
  planOf,
  RUN,
  recordOf,
  runOf,
  STARTED,
  serialized,
  startWrite,
  stepTask,
} from './_test-plan';

/** The rule of forEach and its concurrency: the fan-out and item tasks (items.ts); see item-outcomes.test.ts for the rest. */

const OPEN = ['pending', 'running', 'waiting'] as const;
const fresh = runOf(flow, { ship: STARTED });
const listFailed = serialized(
  errorOf('FOREACH_FAILED', { message: 'Step "ship": forEach could not be evaluated: no items' }),
);
const ended = (
  status: 'succeeded' | 'failed',
  extra: { error?: NonNullable<StepRecord['error']> } = {},
): EngineEvent => ({
  type: 'step.ended',
  runId: RUN,
  flow: FLOW,
  step: 'ship',
  status,
  durationMs: 1000,
  ...extra,
});

const fanOutCases: Case[] = [
  {
    name: 'the fan-out asks for the list, on the run',
    flow,
    run: fresh,
    happened: arrived(stepTask('ship')),
    expected: { ask: { fact: 'list', step: 'ship', run: fresh } },
  },
  {
    name: 'it records the total and queues the first `concurrency` items',
    flow,
    run: fresh,
    happened: arrived(stepTask('ship')),
    facts: { list: ['a', 'b', 'c', 'd', 'e'] },
    expected: {
      writes: [
        {
          step: { ...recordOf(fresh, 'ship'), items: { total: 5, succeeded: 0, failed: 0 } },
          ifStatus: OPEN,
          required: true,
          tasks: [item(0), item(1)],
        },
      ],
    },
  },
  {
    name: 'a list shorter than `concurrency` queues every item',
    flow,
    run: fresh,
    happened: arrived(stepTask('ship')),
    facts: { list: ['a'] },
    expected: {
      writes: [
        {
          step: { ...recordOf(fresh, 'ship'), items: { total: 1, succeeded: 0, failed: 0 } },
          ifStatus: OPEN,
          required: true,
          tasks: [item(0)],
        },
      ],
    },
  },
  {
    name: 'an empty list succeeds at once with [] (and starts what it makes ready)',
    flow,
    run: fresh,
    happened: arrived(stepTask('ship')),
    facts: { list: [] },
    expected: {
      writes: [
        {
          step: {
            ...recordOf(fresh, 'ship'),
            status: 'succeeded',
            output: [],
            endedAt: at(),
            items: { total: 0, succeeded: 0, failed: 0 },
          },
          ifStatus: OPEN,
          required: true,
          events: [ended('succeeded')],
        },
        startWrite(fresh, 'next', 'svc.next'),
      ],
      basedOn: fresh,
      runNext: stepTask('next'),
      afterwards: 'settle',
    },
  },
  {
    name: 'a list that could not be computed fails the step with its FOREACH_FAILED error',
    flow,
    run: fresh,
    happened: arrived(stepTask('ship')),
    facts: { list: listFailed },
    expected: {
      writes: [
        {
          step: { ...recordOf(fresh, 'ship'), status: 'failed', error: listFailed, endedAt: at() },
          ifStatus: OPEN,
          required: true,
          events: [ended('failed', { error: listFailed })],
        },
      ],
      basedOn: fresh,
      afterwards: 'changed',
    },
  },
];

const upstream = errorOf('UPSTREAM', { message: 'bad gateway', retryable: true });
const retrying = itemOf(1, {
  status: 'running',
  routeAttempts: 1,
  attempts: [attemptOf('ship.create', { item: 1, error: serialized(upstream) })],
});

const itemTaskCases: Case[] = [
  {
    name: "an item's task asks for the stored items",
    flow,
    run: shipping(3),
    happened: arrived(item(1)),
    expected: { ask: { fact: 'items', step: 'ship' } },
  },
  {
    name: 'then for the list, on the run',
    flow,
    run: shipping(3),
    happened: arrived(item(1)),
    facts: { items: [itemOf(0, { status: 'running' })] },
    expected: { ask: { fact: 'list', step: 'ship', run: shipping(3) } },
  },
  {
    name: 'then calls its route with the item in scope',
    flow,
    run: shipping(3),
    happened: arrived(item(1)),
    facts: { items: [], list: ['a', 'b', 'c'] },
    expected: { call: { task: item(1), item: { value: 'b' } } },
  },
  {
    name: 'a task of an item that ended does nothing',
    flow,
    run: shipping(3),
    happened: arrived(item(1)),
    facts: { items: [itemOf(1, { status: 'succeeded', routeAttempts: 1 })] },
    expected: {},
  },
  {
    name: 'a task behind the item queues the attempt its record expects',
    flow,
    run: shipping(3),
    happened: arrived(item(1)),
    facts: { items: [retrying] },
    expected: { tasks: [item(1, { attempt: 2 })] },
  },
  {
    name: 'a task ahead of the item does nothing',
    flow,
    run: shipping(3),
    happened: arrived(item(1, { attempt: 3 })),
    facts: { items: [retrying] },
    expected: {},
  },
];

describe('fan-out', () => {
  it.each(fanOutCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});

describe('item tasks', () => {
  it.each(itemTaskCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});
