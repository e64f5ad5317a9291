import type { BatonError } from '@baton/sdk';
import { describe, expect, it } from 'vitest';
import {
  at,
  attemptOf,
  called,
  callFailed,
  errorOf,
  FLOW,
  flowOf,
  INPUT,
  planOf,
  RUN,
  recordOf,
  runOf,
  serialized,
  stepTask,
} from './_test-plan';

/** The rule of retries: when, how long to wait, and when not to (retry.ts, attempt.ts). */

const flow = flowOf({
  steps: [
    {
      id: 'call',
      action: 'api.call',
      needs: [],
      retry: {
        maxAttempts: 5,
        initialInterval: '1s',
        backoffCoefficient: 2,
        maximumInterval: '5s',
        nonRetryable: ['HTTP_409'],
      },
    },
    { id: 'after', action: 'api.after' },
  ],
});

const upstream = errorOf('UPSTREAM', { message: 'bad gateway', retryable: true });

/** The run as attempt `attempt` of "call" is made: the attempts before it failed, the last one parked. */
function runBefore(attempt: number) {
  const tried = attempt - 1;
  return runOf(flow, {
    call: {
      status: 'running',
      startedAt: at(-1000),
      routeAttempts: tried,
      attempts: Array.from({ length: tried }, () => attemptOf('api.call', { error: serialized(upstream) })),
      ...(tried > 0 ? { wakeAt: at(-2), input: INPUT } : {}),
    },
  });
}

function afterFailing(attempt: number, error: BatonError, random?: () => number) {
  const run = runBefore(attempt);
  const happened = called(stepTask('call', { attempt }), callFailed('api.call', error));
  return { run, decision: planOf({ flow, run, happened, ...(random ? { random } : {}) }) };
}

describe('a retryable failure with attempts left is retried', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 5000],
  ])('after attempt %i: parked for %i ms (exponential, capped by maximumInterval)', (attempt, delayMs) => {
    const { run, decision } = afterFailing(attempt, upstream);
    const record = recordOf(run, 'call');
    const { wakeAt: _earlier, ...open } = record;
    const stored = serialized(upstream);
    expect(decision).toEqual({
      // The run waits with its one step parked, in the same write.
      status: 'waiting',
      basedOn: run,
      writes: [
        {
          step: {
            ...open,
            status: 'running',
            attempts: [...record.attempts, attemptOf('api.call', { error: stored })],
            routeAttempts: attempt,
            input: INPUT,
            wakeAt: at(delayMs),
          },
          ifStatus: ['pending', 'running', 'waiting'],
          required: true,
        },
      ],
      events: [
        {
          type: 'step.attempt-failed',
          runId: RUN,
          flow: FLOW,
          step: 'call',
          action: 'api.call',
          attempt,
          error: stored,
          retryInMs: delayMs,
        },
      ],
      tasks: [stepTask('call', { attempt: attempt + 1 })],
      delayMs,
      afterwards: 'settle',
    });
  });
});

describe('the wait before a retry', () => {
  it.each([
    ['the least jitter is -20%', 1, 0, 800],
    ['the most jitter is +20%', 1, 0.9999, 1200],
    ['jitter applies to the backoff', 3, 0, 3200],
    ['jitter never goes past maximumInterval', 4, 0.9999, 5000],
  ])('%s', (_, attempt, random, delayMs) => {
    const { decision } = afterFailing(attempt, upstream, () => random);
    expect(decision.delayMs).toBe(delayMs);
    expect(decision.writes?.[0]?.step.wakeAt).toBe(at(delayMs));
    expect(decision.events?.[0]).toMatchObject({ type: 'step.attempt-failed', retryInMs: delayMs });
  });

  it.each([
    ['a Retry-After longer than the backoff is waited out', 7000, 7000],
    ['a Retry-After shorter than the backoff does not shorten it', 300, 1000],
    ['a Retry-After past maximumInterval is still waited out', 60_000, 60_000],
  ])('%s', (_, retryAfterMs, delayMs) => {
    const limited = errorOf('RATE_LIMITED', { retryable: true, retryAfterMs });
    const { decision } = afterFailing(1, limited);
    expect(decision.delayMs).toBe(delayMs);
    expect(decision.tasks).toEqual([stepTask('call', { attempt: 2 })]);
  });

  it('an open breaker without a fallback is waited out, the attempt counted', () => {
    const open = errorOf('BREAKER_OPEN', { retryable: true, retryAfterMs: 20_000 });
    const { decision } = afterFailing(2, open);
    expect(decision.delayMs).toBe(20_000);
    expect(decision.tasks).toEqual([stepTask('call', { attempt: 3 })]);
    expect(decision.writes?.[0]?.step.routeAttempts).toBe(2);
  });
});

describe('a failure that is not retried fails the step', () => {
  it.each([
    ['a non-retryable error', 1, errorOf('CARD_DECLINED', { message: 'declined' })],
    [
      'a code listed in nonRetryable, though retryable',
      1,
      errorOf('HTTP_409', { message: 'conflict', retryable: true }),
    ],
    ['the last of maxAttempts', 5, upstream],
    [
      'a cancelled run, whatever the error says',
      1,
      errorOf('RUN_CANCELLED', { message: 'cancelled', retryable: true }),
    ],
  ])('%s', (_, attempt, error) => {
    const { run, decision } = afterFailing(attempt, error);
    const record = recordOf(run, 'call');
    const { wakeAt: _earlier, ...open } = record;
    const stored = serialized(error);
    expect(decision).toEqual({
      writes: [
        {
          step: {
            ...open,
            status: 'failed',
            attempts: [...record.attempts, attemptOf('api.call', { error: stored })],
            routeAttempts: attempt,
            input: INPUT,
            error: stored,
            endedAt: at(),
          },
          ifStatus: ['pending', 'running', 'waiting'],
          required: true,
          events: [
            {
              type: 'step.ended',
              runId: RUN,
              flow: FLOW,
              step: 'call',
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
