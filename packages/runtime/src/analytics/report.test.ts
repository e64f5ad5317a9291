import { describe, expect, it } from 'vitest';
import { addFields, emptyCounts, OTHER } from './fields';
import { analyticsReport } from './report';
import { bucketStarts, spanOf } from './tiers';

const NOW = Date.parse('2026-03-01T10:30:20.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the buckets a window is read from', () => {
  it('are minutes for windows within the last two hours, hours otherwise, whole buckets either way', () => {
    const lastHour = spanOf(NOW - HOUR, NOW, NOW);
    expect(lastHour).toEqual({
      tier: 'minute',
      from: Date.parse('2026-03-01T09:30:00.000Z'),
      to: Date.parse('2026-03-01T10:31:00.000Z'),
    });
    expect(bucketStarts(lastHour as Exclude<typeof lastHour, string>)).toHaveLength(61);
    const lastDay = spanOf(NOW - 24 * HOUR, NOW, NOW);
    expect(lastDay).toMatchObject({ tier: 'hour', from: Date.parse('2026-02-28T10:00:00.000Z') });
    expect(bucketStarts(lastDay as Exclude<typeof lastDay, string>)).toHaveLength(25);
    // Short, but older than the minutes kept.
    expect(spanOf(NOW - 3 * HOUR, NOW - 2.5 * HOUR, NOW)).toMatchObject({ tier: 'hour' });
  });

  it('are none for a window that ends before it starts or starts before the eight days kept', () => {
    expect(spanOf(NOW, NOW, NOW)).toBe('until must be after since');
    expect(spanOf(NOW - 9 * 24 * HOUR, NOW, NOW)).toMatch(/kept 8 days/);
  });
});

describe('the report of a window', () => {
  it('orders steps as the flow does, lists the top codes and adds the rest up as (other)', () => {
    const counts = addFields(emptyCounts(), [
      ['n:succeeded', 3],
      ['n:failed', 1],
      ['d:3', 4],
      ['s:zeta:d:0', 2],
      ['s:zeta:a', 2],
      ['s:alpha:d:1', 4],
      ['s:alpha:a', 6],
      ['s:alpha:r', 1],
      ['s:alpha:f', 1],
      ['s:alpha:w', 250],
      ['s:gone:d:0', 1],
      [`s:${OTHER}:d:0`, 1],
      ['e:#', 12],
      ...Array.from({ length: 12 }, (_, i): [string, number] => [`e:C${String(i).padStart(2, '0')}`, i + 1]),
      [`e:${OTHER}`, 5],
    ]);
    const span = spanOf(NOW - HOUR, NOW, NOW) as Exclude<ReturnType<typeof spanOf>, string>;
    const report = analyticsReport(counts, {
      flow: 'f',
      span,
      until: NOW,
      stepOrder: ['alpha', 'zeta'],
      breakers: new Map([
        ['pay', 2],
        ['backup', 0],
      ]),
    });
    expect(report.window).toEqual({
      since: '2026-03-01T09:30:00.000Z',
      until: '2026-03-01T10:30:20.000Z',
      bucket: '1m',
    });
    expect(report.runs).toEqual({ succeeded: 3, failed: 1, cancelled: 0, total: 4 });
    expect(report.successRate).toBe(0.75);
    expect(report.duration.p50).toEqual({ ms: 75, fromMs: 50, toMs: 100 });
    expect(report.steps.map((s) => s.id)).toEqual(['alpha', 'zeta', 'gone', OTHER]);
    expect(report.steps[0]).toMatchObject({ runs: 4, attempts: 6, retries: 1, fallbacks: 1, waitingMs: 250 });
    expect(report).toMatchObject({ retries: 1, fallbacks: 1, waitingMs: 250, breakerOpenings: 2 });
    expect(report.breakers).toEqual([
      { instance: 'backup', openings: 0 },
      { instance: 'pay', openings: 2 },
    ]);
    expect(report.topErrors.map((e) => e.code)).toEqual([
      'C11',
      'C10',
      'C09',
      'C08',
      'C07',
      'C06',
      'C05',
      'C04',
      'C03',
      'C02',
      OTHER,
    ]);
    // C00 (1) and C01 (2) beyond the top ten, and the 5 counted as (other) by the store.
    expect(report.topErrors.at(-1)).toEqual({ code: OTHER, count: 8 });
    expect(
      analyticsReport(emptyCounts(), { flow: 'f', span, until: NOW, stepOrder: [], breakers: new Map() }),
    ).toMatchObject({ successRate: null, duration: { p50: null, p95: null }, topErrors: [], steps: [] });
  });
});
