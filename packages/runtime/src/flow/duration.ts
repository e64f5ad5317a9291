import { z } from 'zod';

/** What a duration string looks like: a number and a unit. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration string: a number and a unit, such as `250ms`, `10s`, `5m`, `1h`, `2d`. */
export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, { error: 'must be a duration such as "250ms", "10s", "5m", "1h" or "2d"' })
  .meta({
    description: 'A duration: a number and a unit (ms, s, m, h, d), such as "250ms", "10s", "5m", "1h".',
  });

/** Milliseconds in a duration string; throws on anything else. */
export function parseDuration(value: string): number {
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`"${value}" is not a duration such as "250ms", "10s", "5m", "1h" or "2d"`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** Formats milliseconds the short way, for terminals: `820ms`, `1.2s`, `3m 5s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
}
