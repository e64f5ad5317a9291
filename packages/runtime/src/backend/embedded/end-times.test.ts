import { describe, expect, it } from 'vitest';
import { EndTimes } from './end-times';

describe('EndTimes', () => {
  it('counts the times still to come, in the order they were pushed, and reads the n-th', () => {
    const times = new EndTimes();
    for (const t of [10, 20, 20, 30]) times.push(t);
    expect(times.size).toBe(4);
    times.dropUntil(19);
    expect(times.size).toBe(3);
    expect([times.at(0), times.at(1), times.at(2), times.at(3)]).toEqual([20, 20, 30, undefined]);
    times.dropUntil(20);
    expect(times.size).toBe(1);
    expect(times.at(0)).toBe(30);
    times.dropUntil(30);
    expect(times.size).toBe(0);
    expect(times.at(0)).toBeUndefined();
  });

  it('keeps its order and count across the cut of a long dropped front', () => {
    const times = new EndTimes();
    for (let t = 1; t <= 5000; t++) times.push(t);
    times.dropUntil(3000);
    expect(times.size).toBe(2000);
    expect(times.at(0)).toBe(3001);
    times.push(6000);
    expect(times.size).toBe(2001);
    expect(times.at(2000)).toBe(6000);
    times.dropUntil(4999);
    expect([times.size, times.at(0), times.at(1)]).toEqual([2, 5000, 6000]);
  });
});
