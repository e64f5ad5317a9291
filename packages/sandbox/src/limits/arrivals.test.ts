import { describe, expect, it } from 'vitest';
import { ArrivalLog, maxInAnyWindow } from './arrivals';

describe('maxInAnyWindow', () => {
  it('counts the most arrivals inside any half-open window', () => {
    expect(maxInAnyWindow([], 1000)).toBe(0);
    expect(maxInAnyWindow([0, 10, 20, 999, 1500, 1600], 1000)).toBe(4);
    // 0 and 1000 are exactly one window apart: [0, 1000) holds one of them only.
    expect(maxInAnyWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(maxInAnyWindow([0, 999, 1998], 1000)).toBe(2);
    expect(maxInAnyWindow([5, 5, 5], 1)).toBe(3);
  });
});

describe('ArrivalLog', () => {
  it('counts the arrivals of the window (now - per, now]', () => {
    const log = new ArrivalLog();
    for (const at of [100, 200, 300, 400]) log.record(at);
    expect(log.countWithin(400, 300)).toBe(3);
    expect(log.countWithin(400, 301)).toBe(4);
    expect(log.countWithin(1000, 300)).toBe(0);
    expect(log.newest(1)).toBe(400);
    expect(log.newest(4)).toBe(100);
    expect(log.newest(5)).toBeUndefined();
  });

  it('keeps the newest arrivals up to its capacity, sorted even when the clock steps back', () => {
    const log = new ArrivalLog(3);
    for (const at of [1, 2, 3, 4, 5, 6, 7]) log.record(at);
    expect(log.list()).toEqual([5, 6, 7]);
    log.record(6);
    expect(log.list()).toEqual([6, 7, 7]);
    log.clear();
    expect(log.list()).toEqual([]);
  });
});
