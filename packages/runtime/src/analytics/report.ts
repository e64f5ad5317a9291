import { type AnalyticsCounts, OTHER } from './fields';
import { DURATION_BOUNDS_MS, type PercentileEstimate, percentile } from './histogram';
import type { AnalyticsSpan } from './tiers';

/** How many error codes a report lists before adding the rest up as `(other)`. */
export const TOP_ERRORS = 10;

/** An error code and how often it was seen. */
export interface ErrorCount {
  code: string;
  count: number;
}

/** One step's figures over a window. */
export interface StepAnalytics {
  id: string;
  /** How many times it ran (to an end) in runs that ended in the window. */
  runs: number;
  /** Duration percentiles, estimated from the histogram; null when it never ran. */
  p50: PercentileEstimate | null;
  p95: PercentileEstimate | null;
  attempts: number;
  retries: number;
  fallbacks: number;
  waitingMs: number;
}

/**
 * A flow's figures over a window, from the counters its runs added as they
 * ended. Percentiles are estimates from fixed histogram buckets
 * (`durationBoundsMs`): each says the bucket the true value lies in.
 */
export interface FlowAnalytics {
  flow: string;
  /** The whole buckets read: `since` is the first one's start, `until` the window's end. */
  window: { since: string; until: string; bucket: '1m' | '1h' };
  runs: { succeeded: number; failed: number; cancelled: number; total: number };
  /** Succeeded / ended runs; null when none ended. */
  successRate: number | null;
  /** Run duration (created to ended) percentiles; null when no run ended. */
  duration: { p50: PercentileEstimate | null; p95: PercentileEstimate | null };
  retries: number;
  fallbacks: number;
  /** Time steps spent waiting: provider budgets, wait, approval and delay steps (ms). */
  waitingMs: number;
  /** Openings of the circuit breakers of the connector instances the flow calls. */
  breakerOpenings: number;
  breakers: Array<{ instance: string; openings: number }>;
  /** The codes runs failed (or were cancelled) with, most frequent first. */
  topErrors: ErrorCount[];
  /** The codes of failed attempts (retried or not), most frequent first. */
  topAttemptErrors: ErrorCount[];
  steps: StepAnalytics[];
  /** The histogram's bucket bounds (ms); the last bucket holds what took longer. */
  durationBoundsMs: number[];
}

/** What the report needs of the flow besides its counters. */
export interface ReportContext {
  flow: string;
  span: AnalyticsSpan;
  /** The window's end as asked (the last bucket may reach past it). */
  until: number;
  /** Step ids in the flow's order; steps counted under other ids follow. */
  stepOrder: readonly string[];
  /** Breaker openings over the span of each connector instance the flow calls. */
  breakers: ReadonlyMap<string, number>;
}

/** Turns a window's counters into its figures. */
export function analyticsReport(counts: AnalyticsCounts, context: ReportContext): FlowAnalytics {
  const { succeeded, failed, cancelled } = counts.runs;
  const total = succeeded + failed + cancelled;
  const steps = orderedSteps(counts, context.stepOrder).map(([id, step]): StepAnalytics => {
    let runs = 0;
    for (const n of step.duration) runs += n;
    return {
      id,
      runs,
      p50: percentile(step.duration, 0.5) ?? null,
      p95: percentile(step.duration, 0.95) ?? null,
      attempts: step.attempts,
      retries: step.retries,
      fallbacks: step.fallbacks,
      waitingMs: step.waitingMs,
    };
  });
  const breakers = [...context.breakers]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([instance, openings]) => ({ instance, openings }));
  return {
    flow: context.flow,
    window: {
      since: new Date(context.span.from).toISOString(),
      until: new Date(Math.min(context.until, context.span.to)).toISOString(),
      bucket: context.span.tier === 'minute' ? '1m' : '1h',
    },
    runs: { succeeded, failed, cancelled, total },
    successRate: total === 0 ? null : succeeded / total,
    duration: {
      p50: percentile(counts.duration, 0.5) ?? null,
      p95: percentile(counts.duration, 0.95) ?? null,
    },
    retries: sum(steps, (s) => s.retries),
    fallbacks: sum(steps, (s) => s.fallbacks),
    waitingMs: sum(steps, (s) => s.waitingMs),
    breakerOpenings: sum(breakers, (b) => b.openings),
    breakers,
    topErrors: topCodes(counts.errors),
    topAttemptErrors: topCodes(counts.attemptErrors),
    steps,
    durationBoundsMs: [...DURATION_BOUNDS_MS],
  };
}

function orderedSteps(counts: AnalyticsCounts, order: readonly string[]) {
  const known = new Set(order);
  const listed = order.filter((id) => counts.steps.has(id));
  const others = [...counts.steps.keys()].filter((id) => !known.has(id) && id !== OTHER).sort();
  const ids = [...listed, ...others, ...(counts.steps.has(OTHER) ? [OTHER] : [])];
  return ids.map((id) => [id, counts.steps.get(id)!] as const);
}

/** The TOP_ERRORS most frequent codes (ties by code), the rest and any `(other)` added up last. */
function topCodes(counts: ReadonlyMap<string, number>): ErrorCount[] {
  const sorted = [...counts]
    .filter(([code]) => code !== OTHER)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const top = sorted.slice(0, TOP_ERRORS).map(([code, count]) => ({ code, count }));
  const rest = sum(sorted.slice(TOP_ERRORS), ([, n]) => n) + (counts.get(OTHER) ?? 0);
  return rest > 0 ? [...top, { code: OTHER, count: rest }] : top;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}
