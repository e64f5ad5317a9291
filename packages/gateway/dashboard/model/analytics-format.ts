import type { DurationPercentile } from '../api/types';
import { formatDuration } from './format';

/** The windows the analytics page offers, by query value. */
export const ANALYTICS_WINDOWS = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
} as const;

export type AnalyticsWindow = keyof typeof ANALYTICS_WINDOWS;

/** The window a query value names, else the last 24 hours. */
export function analyticsWindow(value: string | null): AnalyticsWindow {
  return value !== null && Object.hasOwn(ANALYTICS_WINDOWS, value) ? (value as AnalyticsWindow) : '24h';
}

/** `66.7 %`, `100 %`; a dash when no run ended. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Number((rate * 100).toFixed(1))} %`;
}

/** A percentile estimate: `≈ 180 ms`; a dash when nothing ran. */
export function estimateText(p: DurationPercentile | null): string {
  return p ? `≈ ${formatDuration(p.ms)}` : '—';
}

/** The histogram bucket the true value lies in: `100 ms to 250 ms`, `over 7 d` for the last one. */
export function bucketText(p: DurationPercentile): string {
  if (p.toMs === null) return `over ${formatDuration(p.fromMs)}`;
  return `${formatDuration(p.fromMs)} to ${formatDuration(p.toMs)}`;
}
