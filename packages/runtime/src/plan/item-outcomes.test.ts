import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../model/events';
import { type Case, flow, item, shipping } from './_test-items';
import {
  attemptOf,
  called,
  callFailed,
  callSucceeded,
  errorOf,
  FLOW,
  itemOf,
  planOf,
  RUN,
  serialized,
} from './_test-plan';

/** A forEach item's call came back: written, retried, rerouted or failed (items.ts). */

const upstream = errorOf('UPSTREAM', { message: 'bad gateway', retryable: true });
const declined = errorOf('DECLINED', { message: 'declined' });
const retrying = itemOf(1, {
  status: 'running',
  routeAttempts: 1,
  attempts: [attemptOf('ship.create', { item: 1, error: serialized(upstream) })],
});

const failedEvent = (
  attempt: number,
  action: string,
  error: typeof upstream,
  extra: { retryInMs?: number } = {},
): EngineEvent => ({
  type: 'step.attempt-failed',
  runId: RUN,
  flow: FLOW,
  step: 'ship',
  action,
  attempt,
  item: 1,
  error: serialized(error),
  ...extra,
});

const outcomeCases: Case[] = [
  {
    name: 'an item that succeeded is written, then heard of as written',
    flow,
    run: shipping(3),
    happened: called(item(1), callSucceeded('ship.create', { id: 'B' }, { item: 1 })),
    facts: { items: [] },
    expected: {
      item: {
        step: 'ship',
        record: itemOf(1, {
          status: 'succeeded',
          routeAttempts: 1,
          attempts: [attemptOf('ship.create', { item: 1 })],
          output: { id: 'B' },
        }),
      },
      afterwards: 'item-written',
    },
  },
  {
    name: 'an item that failed with attempts left is retried after the backoff',
    flow,
    run: shipping(3),
    happened: called(item(1), callFailed('ship.create', upstream, { item: 1 })),
    facts: { items: [] },
    expected: {
      item: { step: 'ship', record: { ...retrying } },
      events: [failedEvent(1, 'ship.create', upstream, { retryInMs: 1000 })],
      tasks: [item(1, { attempt: 2 })],
      delayMs: 1000,
    },
  },
  {
    name: 'an item whose route is used up is rerouted',
    flow,
    run: shipping(3),
    happened: called(item(1, { attempt: 2 }), callFailed('ship.create', upstream, { item: 1 })),
    facts: { items: [retrying] },
    expected: {
      item: {
        step: 'ship',
        record: {
          ...retrying,
          attempts: [
            ...retrying.attempts,
            attemptOf('ship.create', { item: 1, error: serialized(upstream) }),
          ],
          route: 1,
          routeAttempts: 0,
        },
      },
      events: [
        failedEvent(2, 'ship.create', upstream),
        {
          type: 'step.rerouted',
          runId: RUN,
          flow: FLOW,
          step: 'ship',
          from: 'ship.create',
          to: 'backup.create',
          item: 1,
        },
      ],
      tasks: [item(1, { route: 1 })],
    },
  },
  {
    name: 'an item whose last route failed ends failed',
    flow,
    run: shipping(3),
    happened: called(item(1, { route: 1 }), callFailed('backup.create', declined, { item: 1, route: 1 })),
    facts: { items: [itemOf(1, { status: 'running', route: 1 })] },
    expected: {
      item: {
        step: 'ship',
        record: itemOf(1, {
          status: 'failed',
          route: 1,
          routeAttempts: 1,
          attempts: [attemptOf('backup.create', { item: 1, route: 1, error: serialized(declined) })],
          error: serialized(declined),
        }),
      },
      events: [failedEvent(1, 'backup.create', declined)],
      afterwards: 'item-written',
    },
  },
];

describe('item outcomes', () => {
  it.each(outcomeCases)('$name', ({ expected, ...c }) => {
    expect(planOf(c)).toEqual(expected);
  });
});
