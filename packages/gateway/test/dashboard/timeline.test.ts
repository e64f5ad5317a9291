import { describe, expect, it } from 'vitest';
import type { Attempt, Run, Step } from '../../dashboard/api/types';
import { attemptLabel, buildTimeline, ticks } from '../../dashboard/model/timeline';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function attempt(
  action: string,
  route: number,
  from: number,
  to: number,
  failed = false,
  item?: number,
): Attempt {
  return {
    action,
    route,
    ...(item !== undefined ? { item } : {}),
    startedAt: at(from),
    endedAt: at(to),
    error: failed
      ? { name: 'RetryableError', code: 'GATEWAY_TIMEOUT', message: 'timed out', retryable: true }
      : null,
  };
}

function step(id: string, fields: Partial<Step>): Step {
  return {
    id,
    phase: 'main',
    status: 'succeeded',
    attempts: [],
    output: null,
    error: null,
    startedAt: null,
    endedAt: null,
    ...fields,
  };
}

function run(steps: Step[], fields: Partial<Run> = {}): Run {
  return {
    id: 'run_1',
    flow: 'checkout',
    status: 'failed',
    phase: 'done',
    trigger: 'webhook',
    event: { specversion: '1.0', id: 'e1', source: 'shop', type: 'order.created', time: at(0), data: {} },
    steps,
    output: null,
    error: null,
    createdAt: at(0),
    startedAt: at(0),
    endedAt: at(1_000),
    audit: [],
    ...fields,
  };
}

describe('the run timeline', () => {
  const charge = step('charge', {
    status: 'compensated',
    servedBy: 'backup.charge',
    startedAt: at(10),
    endedAt: at(700),
    attempts: [
      attempt('pay.charge', 0, 10, 60, true),
      attempt('pay.charge', 0, 300, 340, true),
      attempt('backup.charge', 1, 345, 700),
    ],
    compensation: {
      status: 'succeeded',
      action: 'backup.refund',
      attempts: [attempt('backup.refund', 0, 900, 950, true), attempt('backup.refund', 0, 960, 990)],
    },
  });

  it('labels the first try, each retry and each fallback, and places bars in time', () => {
    const timeline = buildTimeline(run([charge]), T0 + 5_000);
    expect(timeline.startMs).toBe(T0);
    expect(timeline.endMs).toBe(T0 + 1_000);
    const [row, undo] = timeline.rows;
    expect(row!.bars.map((b) => [b.label, b.outcome, b.route, b.startMs - T0])).toEqual([
      ['try 1', 'failed', 0, 10],
      ['retry 1', 'failed', 0, 300],
      ['fallback 1', 'succeeded', 1, 345],
    ]);
    expect(row!.caption).toContain('served by backup.charge (fallback)');
    expect(row!.caption).toContain('3 attempts');
    expect(undo).toMatchObject({ kind: 'compensation', title: 'undo charge', status: 'succeeded' });
    expect(undo!.bars.map((b) => [b.label, b.kind, b.outcome])).toEqual([
      ['undo', 'compensation', 'failed'],
      ['undo retry 1', 'compensation', 'succeeded'],
    ]);
  });

  it('puts bars that would overlap once widened in separate lanes, and others in one', () => {
    const narrow = buildTimeline(run([charge]), T0);
    expect(narrow.rows[0]!.lanes).toBe(1);
    // Drawn at least 100 ms wide, the retry (300–340) and the fallback (345) would touch.
    const wide = buildTimeline(run([charge]), T0, { minBarMs: 100 });
    expect(wide.rows[0]!.bars.map((b) => b.lane)).toEqual([0, 0, 1]);
    expect(wide.rows[0]!.lanes).toBe(2);
  });

  it('shows parallel forEach items in lanes and names their item', () => {
    const loop = step('ship', {
      attempts: [attempt('ship.create', 0, 0, 100, false, 0), attempt('ship.create', 0, 0, 120, false, 1)],
      items: { total: 2, succeeded: 2, failed: 0 },
    });
    const [row] = buildTimeline(run([loop]), T0).rows;
    expect(row!.bars.map((b) => [b.label, b.lane])).toEqual([
      ['#0 try 1', 0],
      ['#1 try 1', 1],
    ]);
    expect(row!.caption).toContain('2/2 items');
  });

  it('draws work in progress up to now: a retry wait until its wake time, a running call until now', () => {
    const waiting = step('charge', {
      status: 'running',
      startedAt: at(0),
      wakeAt: at(2_000),
      attempts: [attempt('pay.charge', 0, 0, 50, true)],
    });
    const calling = step('ship', { status: 'running', startedAt: at(100) });
    const timeline = buildTimeline(run([waiting, calling], { status: 'running', endedAt: null }), T0 + 1_500);
    expect(timeline.rows[0]!.bars.at(-1)).toMatchObject({
      kind: 'waiting',
      label: 'retry wait',
      endMs: T0 + 2_000,
    });
    expect(timeline.rows[1]!.bars).toEqual([
      expect.objectContaining({ kind: 'running', startMs: T0 + 100, endMs: T0 + 1_500 }),
    ]);
    expect(timeline.endMs).toBe(T0 + 2_000);
  });

  it("draws a call waiting in the queue for its instance's limits as a wait for its turn, no attempt", () => {
    const queued = step('sync', {
      status: 'running',
      startedAt: at(0),
      wakeAt: at(3_000),
      throttle: { instance: 'crm', reason: 'rate', since: at(10), until: at(3_000), turn: 1 },
    });
    const [row] = buildTimeline(run([queued], { status: 'running', endedAt: null }), T0 + 1_000).rows;
    expect(row!.bars).toEqual([
      expect.objectContaining({ kind: 'waiting', label: 'turn at crm', endMs: T0 + 3_000 }),
    ]);
  });

  it('lists onFailure steps after the main ones, and reused or skipped steps without bars', () => {
    const timeline = buildTimeline(
      run([
        step('alert', { phase: 'onFailure', attempts: [attempt('notify.send', 0, 800, 810)] }),
        step('reserve', { reused: true, startedAt: at(-5_000), endedAt: at(-4_000) }),
        step('receipt', { status: 'skipped', skipReason: 'its if was false' }),
      ]),
      T0,
    );
    expect(timeline.rows.map((r) => r.title)).toEqual(['reserve', 'receipt', 'alert (on failure)']);
    expect(timeline.rows[0]).toMatchObject({ bars: [], caption: expect.stringContaining('reused') });
    expect(timeline.rows[1]!.caption).toContain('its if was false');
  });

  it('labels attempts by kind, route, retry and item', () => {
    expect(attemptLabel('attempt', 0, 1)).toBe('try 1');
    expect(attemptLabel('attempt', 0, 3)).toBe('retry 2');
    expect(attemptLabel('attempt', 2, 1)).toBe('fallback 2');
    expect(attemptLabel('attempt', 1, 2)).toBe('fallback 1 retry 1');
    expect(attemptLabel('compensation', 0, 1, 4)).toBe('#4 undo');
  });

  it('puts axis ticks at round offsets, at most seven of them', () => {
    expect(ticks(237)).toEqual([0, 50, 100, 150, 200]);
    expect(ticks(1_000)).toEqual([0, 200, 400, 600, 800, 1_000]);
    expect(ticks(90_000)).toEqual([0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000]);
    for (const span of [1, 7, 999, 12_345, 3_600_000, 5 * 86_400_000])
      expect(ticks(span).length).toBeLessThanOrEqual(7);
    // A narrow screen asks for fewer.
    expect(ticks(237, 2)).toEqual([0, 200]);
  });
});
