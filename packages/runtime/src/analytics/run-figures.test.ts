import { describe, expect, it } from 'vitest';
import type { AttemptRecord, RunRecord, StepRecord } from '../model/run-record';
import { addFields, emptyCounts, fieldIncrements, OTHER } from './fields';
import { bucketOf } from './histogram';
import { runFigures } from './run-figures';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function attempt(route: number, from: number, to: number, extra: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    action: route === 0 ? 'pay.charge' : 'backup.charge',
    route,
    startedAt: at(from),
    endedAt: at(to),
    ...extra,
  };
}

function step(id: string, from: number, to: number, extra: Partial<StepRecord> = {}): StepRecord {
  return {
    id,
    phase: 'main',
    status: 'succeeded',
    attempts: [],
    route: 0,
    routeAttempts: 0,
    startedAt: at(from),
    endedAt: at(to),
    ...extra,
  };
}

const timeout = { name: 'RetryableError', code: 'GATEWAY_TIMEOUT', message: 'timed out', retryable: true };
const refused = { name: 'NonRetryableError', code: 'LABEL_REFUSED', message: 'refused', retryable: false };

/** A failed checkout: charge retried then served by its fallback, a forEach ship with one item retried, an approval. */
const run: RunRecord = {
  id: 'run_1',
  flow: 'checkout',
  status: 'failed',
  phase: 'done',
  trigger: 'webhook',
  event: { specversion: '1.0', id: 'e', source: 's', type: 't', time: at(0), data: {} },
  createdAt: at(0),
  endedAt: at(9_000),
  error: refused,
  audit: [],
  steps: [
    step('reserve', 5, 20, { attempts: [attempt(0, 5, 20, { waitedMs: 7 })] }),
    step('charge', 20, 800, {
      attempts: [
        attempt(0, 20, 100, { error: timeout }),
        attempt(0, 300, 400, { error: timeout }),
        attempt(1, 400, 800),
      ],
    }),
    step('ok', 800, 5_800, { approval: { title: 'ok?', since: at(800) } }),
    step('ship', 5_800, 8_000, {
      status: 'failed',
      error: refused,
      attempts: [
        { ...attempt(0, 5_800, 6_000), item: 0 },
        { ...attempt(0, 5_800, 6_100, { error: timeout }), item: 1 },
        { ...attempt(0, 6_200, 6_300, { error: refused }), item: 1 },
      ],
    }),
    step('cool-off', 0, 0, { status: 'skipped', skipReason: 'if' }),
    step('old', 0, 10, { reused: true, attempts: [attempt(0, 0, 10)] }),
    { id: 'later', phase: 'main', status: 'pending', attempts: [], route: 0, routeAttempts: 0 },
  ],
};

describe('the figures of an ended run', () => {
  it('are worked out from its record: durations, attempts, retries, fallbacks, waiting and error codes', () => {
    const figures = runFigures(run, (id) => (id === 'wait-a-bit' ? 'delay' : undefined))!;
    expect(figures).toEqual({
      flow: 'checkout',
      status: 'failed',
      endedAt: T0 + 9_000,
      durationMs: 9_000,
      errorCode: 'LABEL_REFUSED',
      attemptErrors: ['GATEWAY_TIMEOUT', 'GATEWAY_TIMEOUT', 'GATEWAY_TIMEOUT', 'LABEL_REFUSED'],
      steps: [
        { id: 'reserve', durationMs: 15, attempts: 1, retries: 0, fallbacks: 0, waitingMs: 7 },
        { id: 'charge', durationMs: 780, attempts: 3, retries: 1, fallbacks: 1, waitingMs: 0 },
        // An approval (known from its record) waits the whole of its duration.
        { id: 'ok', durationMs: 5_000, attempts: 0, retries: 0, fallbacks: 0, waitingMs: 5_000 },
        // Items retry apart: item 1's second attempt is a retry, item 0's first is not.
        { id: 'ship', durationMs: 2_200, attempts: 3, retries: 1, fallbacks: 0, waitingMs: 0 },
      ],
    });
  });

  it('count a delay step as waiting when the flow says it is one, and none for a run still going', () => {
    const delayed = { ...run, steps: [step('wait-a-bit', 0, 60_000)] };
    expect(runFigures(delayed, () => 'delay')!.steps[0]!.waitingMs).toBe(60_000);
    expect(runFigures(delayed, () => 'action')!.steps[0]!.waitingMs).toBe(0);
    expect(runFigures({ ...run, status: 'running' }, () => undefined)).toBeUndefined();
    const succeeded = runFigures({ ...run, status: 'succeeded' }, () => undefined)!;
    expect(succeeded.errorCode).toBeUndefined();
  });

  it('become counters that add up over runs, with hostile codes cleaned and long step lists bounded', () => {
    const figures = runFigures(run, () => undefined)!;
    const increments = fieldIncrements(figures);
    expect(increments.codes).toEqual([
      ['e:LABEL_REFUSED', 1],
      ['x:GATEWAY_TIMEOUT', 3],
      ['x:LABEL_REFUSED', 1],
    ]);
    const counts = emptyCounts();
    for (let i = 0; i < 2; i++) addFields(counts, [...increments.plain, ...increments.codes]);
    expect(counts.runs).toEqual({ succeeded: 0, failed: 2, cancelled: 0 });
    expect(counts.duration[bucketOf(9_000)]).toBe(2);
    expect(counts.steps.get('charge')).toMatchObject({ attempts: 6, retries: 2, fallbacks: 2, waitingMs: 0 });
    expect(counts.steps.get('charge')!.duration[bucketOf(780)]).toBe(2);
    expect(counts.attemptErrors.get('GATEWAY_TIMEOUT')).toBe(6);

    const hostile = fieldIncrements({
      ...figures,
      errorCode: `<script>${'x'.repeat(200)}`,
      attemptErrors: [''],
    });
    expect(hostile.codes.map(([field]) => field)).toEqual([`e:_script_${'x'.repeat(56)}`, 'x:UNKNOWN']);

    const many = Array.from({ length: 120 }, (_, i) => ({ ...figures.steps[0]!, id: `s${i}` }));
    const bounded = emptyCounts();
    addFields(bounded, fieldIncrements({ ...figures, steps: many }).plain);
    expect(bounded.steps.size).toBe(101);
    expect(bounded.steps.get(OTHER)!.attempts).toBe(20);
  });
});
