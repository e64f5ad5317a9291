/** How long a version that stopped being current is kept even with no run on it. @default 10 minutes */
export const DEFAULT_PRUNE_GRACE_MS = 10 * 60_000;

/** `<flowId>@<version>`: how both stores name one definition. */
export function versionKey(flowId: string, version: string): string {
  return `${flowId}@${version}`;
}

/**
 * Whether a definition may be dropped: not current, used by no retained
 * run, and retired (no longer current) for longer than the grace, so a
 * process that has not switched yet does not start a run on a dropped one.
 */
export function mayDrop(
  key: string,
  keep: { current: ReadonlySet<string>; inUse: ReadonlySet<string>; retiredAt: number | undefined },
  now: number,
  graceMs: number,
): boolean {
  if (keep.current.has(key) || keep.inUse.has(key)) return false;
  return keep.retiredAt !== undefined && now - keep.retiredAt >= graceMs;
}
