import type { AuditEntry, RunRecord } from '../../model/run-record';
import type { RedisEventLog } from './event-log';

/**
 * A replay on a partitioned hub whose new run lives in another partition
 * than the original: an ordered run joins its key's line, whose partition
 * follows the order key the replay's version computes, which may not be the
 * original's. Two partitions cannot share one atomic write, so the replay
 * takes two. First the claim, in the original's partition, with the new run
 * staged beside it: of concurrent replays one claims, the others answer its
 * run. Then the run, created in its own partition (once: a repeat makes
 * nothing), and the staged copy dropped. A crash between the two leaves
 * the claim and the staged run; the next replay request of the original
 * (the caller's retry, a bulk replay's) finds them and writes the run
 * (`finishStagedReplay`).
 */
export async function replayAcross(
  from: RedisEventLog,
  logOf: (runId: string) => RedisEventLog,
  originalId: string,
  run: RunRecord,
  audit: AuditEntry,
): Promise<{ runId: string; created: boolean } | undefined> {
  const claimed = await from.claimReplay(originalId, run, audit);
  if (claimed === undefined) return undefined;
  // When another replay claimed first, its call writes its run; this one finishes it too, should
  // that call have died between its writes (creating is once only, so both may).
  await finishStagedReplay(from, logOf, originalId);
  return { runId: claimed, created: claimed === run.id };
}

/** Writes the replay of `originalId` staged beside it, if one is, in its own partition. */
export async function finishStagedReplay(
  from: RedisEventLog,
  logOf: (runId: string) => RedisEventLog,
  originalId: string,
): Promise<void> {
  const staged = await from.stagedReplay(originalId);
  if (!staged) return;
  await logOf(staged.id).createStagedReplay(staged);
  await from.dropStagedReplay(originalId);
}
