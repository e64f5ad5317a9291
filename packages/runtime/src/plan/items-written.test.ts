import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../model/events';
import type { ItemRecord, StepRecord } from '../model/run-record';
import { type Case, flow, item, shipping } from './_test-items';
import {
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
import type { Happening } from './decision';

/** A forEach item was written: the next item is queued, or the last ends the step (items.ts). */

const declined = errorOf('DECLINED', { message: 'declined' });

/** An item that ended, served by `route`, with the output `{ n: index }`. */
const done = (index: number, route = 0): ItemRecord =>
  itemOf(index, {
    status: 'succeeded',
    route,
    routeAttempts: 1,
    attempts: [attemptOf(route === 0 ? 'ship.create' : 'backup.create', { item: index, route })],
    output: { n: index },
  });
const lost = itemOf(1, {
  status: 'failed',
  routeAttempts: 1,
  attempts: [attemptOf('ship.create', { item: 1, error: serialized(declined) })],
  error: serialized(declined),
});
const written = (task: number, items: ItemRecord[]): Happening => ({
  kind: 'item-written',
  task: item(task),
  item: items.find((i) => i.index === task)!,
  items,
});
const running = (index: number) => itemOf(index, { status: 'running' });
const three = shipping(3);
const summary = (fields: Partial<StepRecord>): StepRecord => ({
  ...recordOf(three, 'ship'),
  endedAt: at(),
  ...fields,
});
const stepEnded = (
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

const writtenCases: Case[] = [
  {
    name: 'an item that ended queues the one `concurrency` places after it',
    flow,
    run: shipping(5),
    happened: written(0, [done(0), running(1)]),
    expected: { tasks: [item(2)] },
  },
  {
    name: 'past the end of the list, nothing is queued',
    flow,
    run: three,
    happened: written(2, [done(0), running(1), done(2)]),
    expected: {},
  },
  {
    name: 'the last item to end asks for the run as stored now',
    flow,
    run: three,
    happened: written(1, [done(0), done(1), done(2)]),
    expected: { ask: { fact: 'run' } },
  },
  {
    name: 'then ends the step with the outputs in item order, in one write with what it makes ready',
    flow,
    run: three,
    happened: written(1, [done(2, 1), done(0), done(1)]),
    facts: { fresh: true },
    expected: {
      writes: [
        {
          step: summary({
            status: 'succeeded',
            attempts: [done(0).attempts[0]!, done(1).attempts[0]!, done(2, 1).attempts[0]!],
            output: [{ n: 0 }, { n: 1 }, { n: 2 }],
            items: { total: 3, succeeded: 3, failed: 0 },
            servedBy: 'ship.create, backup.create',
          }),
          ifStatus: ['pending', 'running', 'waiting'],
          required: true,
          events: [stepEnded('succeeded')],
        },
        startWrite(three, 'next', 'svc.next'),
      ],
      basedOn: three,
      runNext: stepTask('next'),
      afterwards: 'settle',
    },
  },
  {
    name: 'a failed item fails the step: how many failed and why the first did, null in its place',
    flow,
    run: three,
    happened: written(2, [done(0), lost, done(2)]),
    facts: { fresh: true },
    expected: {
      writes: [
        {
          step: summary({
            status: 'failed',
            attempts: [done(0).attempts[0]!, lost.attempts[0]!, done(2).attempts[0]!],
            output: [{ n: 0 }, null, { n: 2 }],
            items: { total: 3, succeeded: 2, failed: 1 },
            servedBy: 'ship.create',
            error: { ...serialized(declined), message: '1 of 3 items failed; item 1: declined' },
          }),
          ifStatus: ['pending', 'running', 'waiting'],
          required: true,
          events: [
            stepEnded('failed', {
              error: { ...serialized(declined), message: '1 of 3 items failed; item 1: declined' },
            }),
          ],
        },
      ],
      basedOn: three,
      afterwards: 'changed',
    },
  },
  {
    name: 'a step already ended (by a duplicate) is left as it is',
    flow,
    run: runOf(flow, {
      ship: { ...STARTED, status: 'succeeded', items: { total: 3, succeeded: 3, failed: 0 } },
    }),
    happened: written(1, [done(0), done(1), done(2)]),
    facts: { fresh: true },
    expected: {},
  },
];

describe('items written', () => {
  it.each(writtenCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});
