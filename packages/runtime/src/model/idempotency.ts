/**
 * The idempotency key of a call: the same for a step of a run (and forEach
 * item) on every attempt and after any crash; a fallback route gets its own,
 * because it may call the same vendor with other parameters. A replay is a
 * new run, so it gets new keys.
 */
export function idempotencyKey(runId: string, stepId: string, route: number, item?: number): string {
  let key = `${runId}:${stepId}`;
  if (item !== undefined) key += `:${item}`;
  if (route > 0) key += `:route-${route}`;
  return key;
}

export function compensationKey(runId: string, stepId: string): string {
  return `${runId}:${stepId}:compensate`;
}
