import { describe, expect, it } from 'vitest';
import { copyRun, type RunRecord } from './run-record';

/** A run with every optional field set. */
const full: RunRecord = {
  id: 'run_1',
  flow: 'f',
  status: 'failed',
  phase: 'done',
  trigger: 'replay',
  event: {
    specversion: '1.0',
    id: 'e',
    source: 's',
    type: 't',
    time: '2026-01-01T00:00:00.000Z',
    data: { n: 1 },
  },
  steps: [{ id: 'a', phase: 'main', status: 'failed', attempts: [], route: 0, routeAttempts: 1 }],
  output: { total: 3 },
  error: { name: 'BatonError', code: 'X', message: 'x', retryable: false },
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:01.000Z',
  endedAt: '2026-01-01T00:00:02.000Z',
  replayOf: 'run_0',
  audit: [{ action: 'replay', actor: 'ops', at: '2026-01-01T00:00:00.000Z' }],
  orderKey: 'customer-7',
};

describe('copying run records', () => {
  it('copyRun keeps every field, applies changes and drops fields set to undefined', () => {
    const copy = copyRun(full);
    expect(copy).not.toBe(full);
    expect(copy).toStrictEqual(full);
    expect(Object.keys(copy).sort()).toEqual(Object.keys(full).sort());
    const changed = copyRun(full, {
      status: 'running',
      output: undefined,
      endedAt: '2026-01-02T00:00:00.000Z',
    });
    const { output: _output, ...rest } = full;
    expect(changed).toStrictEqual({ ...rest, status: 'running', endedAt: '2026-01-02T00:00:00.000Z' });
    expect(Object.hasOwn(changed, 'output')).toBe(false);
  });

  it('copyRun with other steps is the run with them, optional fields absent or not', () => {
    const steps = [{ ...full.steps[0]!, status: 'succeeded' as const }];
    expect(copyRun(full, { steps })).toStrictEqual({ ...full, steps });
    const { output: _o, error: _e, startedAt: _s, endedAt: _d, replayOf: _r, ...bare } = full;
    expect(copyRun(bare, { steps })).toStrictEqual({ ...bare, steps });
  });
});
