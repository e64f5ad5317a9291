const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** The pattern a `timeout` string must match: `250ms`, `10s`, `5m`, `1h`. */
export const DURATION_PATTERN = DURATION;

/** Milliseconds in a duration (`"10s"`) or a number of milliseconds. */
export function toMilliseconds(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = DURATION.exec(value.trim());
  if (!match) throw new RangeError(`"${value}" is not a duration such as "250ms", "10s" or "5m"`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
