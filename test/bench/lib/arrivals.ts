import { percentile, slope } from './stats';

/** How fast requests reached a rate-limited provider, from the epoch ms at which each was accepted. */
export interface ArrivalRates {
  /** (n − 1) / (last − first), per second: every arrival, the first window's burst included. */
  overall: number;
  /**
   * Arrivals per second in the steady middle: the least-squares slope of
   * the arrival count over time, leaving out the first window (a budget
   * lets a whole window's worth through at once) and the last (the runs
   * ran out). `overall` when the run was too short to have a middle.
   */
  steady: number;
  /** Arrivals in each second from the first one. */
  perSecond: number[];
  /** The longest time between two arrivals (ms), and when it began (s from the first arrival). */
  longestGapMs: number;
  longestGapAtS: number;
  /**
   * A budget of `requests` per window lets arrival i + requests through
   * once arrival i's slot stops counting, a window after its answer: the
   * time from one to the other, minus the window, is what each reuse of a
   * slot lost (the call's own time, waking the waiter, its turn asked
   * again). p50 and p90 over the steady middle, in ms.
   */
  reuseLossMs: { p50: number; p90: number };
  /** From the first arrival to the last, in s. */
  spanS: number;
}

export function arrivalRates(
  arrivals: readonly number[],
  limit: { requests: number; perMs: number },
): ArrivalRates {
  const first = arrivals[0] ?? 0;
  const last = arrivals.at(-1) ?? 0;
  const spanS = (last - first) / 1000;
  const overall = arrivals.length > 1 && spanS > 0 ? (arrivals.length - 1) / spanS : Number.NaN;
  const steadyMiddle = (at: number) => at >= first + limit.perMs && at <= last - limit.perMs;
  const middle: Array<[number, number]> = [];
  const losses: number[] = [];
  const perSecond: number[] = [];
  let longestGapMs = 0;
  let longestGapAtS = 0;
  arrivals.forEach((at, i) => {
    if (steadyMiddle(at)) middle.push([(at - first) / 1000, i]);
    const reuse = arrivals[i + limit.requests];
    if (reuse !== undefined && steadyMiddle(at)) losses.push(reuse - at - limit.perMs);
    const second = Math.floor((at - first) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
    const gap = i > 0 ? at - arrivals[i - 1]! : 0;
    if (gap > longestGapMs) [longestGapMs, longestGapAtS] = [gap, (arrivals[i - 1]! - first) / 1000];
  });
  return {
    overall,
    steady: middle.length > 10 ? slope(middle) : overall,
    perSecond: Array.from(perSecond, (n) => n ?? 0),
    longestGapMs,
    longestGapAtS,
    reuseLossMs: { p50: percentile(losses, 50), p90: percentile(losses, 90) },
    spanS,
  };
}
