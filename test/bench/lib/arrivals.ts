import { slope } from './stats';

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
  /** The longest time between two arrivals, in ms. */
  longestGapMs: number;
  /** From the first arrival to the last, in s. */
  spanS: number;
}

export function arrivalRates(arrivals: readonly number[], windowMs: number): ArrivalRates {
  const first = arrivals[0] ?? 0;
  const last = arrivals.at(-1) ?? 0;
  const spanS = (last - first) / 1000;
  const overall = arrivals.length > 1 && spanS > 0 ? (arrivals.length - 1) / spanS : Number.NaN;
  const middle: Array<[number, number]> = [];
  arrivals.forEach((at, i) => {
    if (at >= first + windowMs && at <= last - windowMs) middle.push([(at - first) / 1000, i]);
  });
  const perSecond: number[] = [];
  let longestGapMs = 0;
  arrivals.forEach((at, i) => {
    const second = Math.floor((at - first) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
    if (i > 0) longestGapMs = Math.max(longestGapMs, at - arrivals[i - 1]!);
  });
  return {
    overall,
    steady: middle.length > 10 ? slope(middle) : overall,
    perSecond: Array.from(perSecond, (n) => n ?? 0),
    longestGapMs,
    spanS,
  };
}
