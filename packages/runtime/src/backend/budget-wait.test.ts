import { describe, expect, it } from 'vitest';
import { turnWait } from './budget-wait';

const rate = { requests: 20, perMs: 1000 };
const facts = { now: 10_000, pausedUntil: 0, slotsTaken: 0 };

describe('turnWait', () => {
  it('a call whose slot is counted now goes when that call stops counting', () => {
    // 20 answered calls end at 10 100 … (the 6th in line takes the 6th end).
    expect(
      turnWait({ ...facts, policy: { rate }, position: 5, inFlight: 0, counted: 20, turnEnd: 10_350 }),
    ).toEqual({ granted: false, reason: 'rate', waitMs: 350, position: 5 });
  });

  it('a call behind a full window goes a window after the slot it reuses', () => {
    // Position 25 reuses the slot of position 5, a window later.
    expect(
      turnWait({ ...facts, policy: { rate }, position: 25, inFlight: 0, counted: 20, turnEnd: 10_350 }),
    ).toEqual({ granted: false, reason: 'rate', waitMs: 1350, position: 25 });
  });

  it('a call whose slot is held by a call in flight waits at least a window', () => {
    expect(
      turnWait({ ...facts, policy: { rate }, position: 0, inFlight: 20, counted: 0, turnEnd: undefined }),
    ).toEqual({ granted: false, reason: 'rate', waitMs: 1000, position: 0 });
  });

  it('a pause is waited out first', () => {
    expect(
      turnWait({
        ...facts,
        pausedUntil: 12_000,
        policy: { rate },
        position: 0,
        inFlight: 0,
        counted: 0,
        turnEnd: undefined,
      }),
    ).toEqual({ granted: false, reason: 'paused', waitMs: 2000, position: 0 });
  });

  it('a call waiting for a concurrency slot asks again soon, later the further back it is', () => {
    const near = turnWait({
      ...facts,
      slotsTaken: 4,
      policy: { concurrency: 4 },
      position: 0,
      inFlight: 0,
      counted: 0,
      turnEnd: undefined,
    });
    const far = turnWait({
      ...facts,
      slotsTaken: 4,
      policy: { concurrency: 4 },
      position: 40,
      inFlight: 0,
      counted: 0,
      turnEnd: undefined,
    });
    expect(near).toMatchObject({ reason: 'concurrency' });
    expect(near.waitMs).toBeLessThan(far.waitMs);
    expect(far.waitMs).toBeLessThanOrEqual(1000);
  });
});
